/**
 * A member's first steps, end to end, through the typed client:
 * register, take the placement test, do a lesson (every exercise answered,
 * then completed), and enrol in a workshop session a facilitator schedules.
 *
 *   TREMPLIN_URL=http://127.0.0.1:8080 \
 *   TREMPLIN_FACILITATOR_EMAIL=anim@example.org TREMPLIN_FACILITATOR_PASSWORD=... \
 *   npm run journey
 *
 * The facilitator account comes from `tremplin create-user --role facilitator`.
 * Exits non-zero at the first answer that is not what the contract promises.
 */
import { createTremplinClient } from "../src/index.js";
import type { Schemas } from "../src/index.js";

const baseUrl = process.env.TREMPLIN_URL ?? "http://127.0.0.1:8080";

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}

/** Fails with the problem the server sent, if any. */
function expect<T>(step: string, result: { data?: T; error?: unknown; response: Response }): T {
  if (result.data === undefined) {
    throw new Error(`${step}: HTTP ${result.response.status} ${JSON.stringify(result.error)}`);
  }
  console.log(`ok  ${step} (${result.response.status})`);
  return result.data;
}

/** Some answer of the right shape for the exercise kind; right or wrong does not matter here. */
function answerFor(exercise: Schemas["ExerciseView"]): Schemas["Answer"] {
  const first = exercise.choices?.[0]?.id ?? "";
  switch (exercise.kind) {
    case "single_choice":
      return { choice_id: first };
    case "multiple_choice":
      return { choice_ids: [first] };
    case "true_false":
      return { value: true };
    case "ordering":
      return { item_ids: (exercise.items ?? []).map((item) => item.id) };
    case "text_input":
      return { text: "je ne sais pas" };
  }
}

const member = createTremplinClient({ baseUrl });
const stamp = Date.now();

// 1. Register: the answer carries the session, which the client keeps.
const registered = expect(
  "register",
  await member.POST("/api/v1/auth/register", {
    body: { email: `journey-${stamp}@example.org`, password: `journey-pass-${stamp}`, display_name: "Awa" },
  }),
);
member.tokens.set(registered);

// An expired access token is refreshed once, transparently.
member.tokens.set({ access_token: "expired", refresh_token: registered.refresh_token });
const me = expect("me, after a transparent refresh", await member.GET("/api/v1/me"));
if (me.id !== registered.user.id) throw new Error("refreshed into another account");

// 2. The placement test: answer until it gives levels.
const started = expect("start placement test", await member.POST("/api/v1/placement-tests"));
let next: Schemas["PlacementExercise"] | null | undefined = started.next_exercise;
let result: Schemas["PlacementResult"] | null | undefined;
for (let asked = 0; next && asked < 100; asked += 1) {
  const step: Schemas["PlacementStep"] = expect(
    `placement ${next.area}`,
    await member.POST("/api/v1/placement-tests/{id}/answers", {
      params: { path: { id: started.id } },
      body: { exercise_id: next.exercise.id, answer: answerFor(next.exercise) },
    }),
  );
  next = step.next_exercise;
  result = step.result;
}
if (!result) throw new Error("the placement test did not end");
console.log(`    levels: ${result.levels.map((level) => `${level.area}=${level.level}`).join(", ")}`);

// 3. A lesson: every exercise answered, then completed.
const lessons = expect("list lessons", await member.GET("/api/v1/lessons", { params: { query: { limit: 5 } } }));
const chosen = result.recommended_lessons[0] ?? lessons.items[0];
if (!chosen) throw new Error("no published lesson");
const lesson = expect(
  `lesson ${chosen.slug}`,
  await member.GET("/api/v1/lessons/{id}", { params: { path: { id: chosen.id } } }),
);
const attempt = expect(
  "start attempt",
  await member.POST("/api/v1/lessons/{id}/attempts", { params: { path: { id: lesson.id } } }),
);
for (const exercise of lesson.exercises) {
  const graded = expect(
    `answer ${exercise.kind}`,
    await member.POST("/api/v1/attempts/{id}/answers", {
      params: { path: { id: attempt.id } },
      body: { exercise_id: exercise.id, answer: answerFor(exercise) },
    }),
  );
  console.log(`    ${graded.correct ? "right" : "wrong"}: ${graded.feedback}`);
}
const completion = expect(
  "complete attempt",
  await member.POST("/api/v1/attempts/{id}/complete", { params: { path: { id: attempt.id } } }),
);
console.log(`    score ${completion.score}, ${completion.xp_awarded} XP`);

// 4. A facilitator schedules a session of the programme's first module; the member enrols.
const facilitator = createTremplinClient({ baseUrl });
const login = expect(
  "facilitator login",
  await facilitator.POST("/api/v1/auth/login", {
    body: { login: required("TREMPLIN_FACILITATOR_EMAIL"), password: required("TREMPLIN_FACILITATOR_PASSWORD") },
  }),
);
facilitator.tokens.set(login);
const programs = expect("list programmes", await member.GET("/api/v1/programs"));
const module = programs.items[0]?.modules[0];
if (!module) throw new Error("no programme module");
const startsAt = new Date(Date.now() + 7 * 24 * 3600 * 1000);
const workshop = expect(
  "schedule workshop",
  await facilitator.POST("/api/v1/workshops", {
    body: {
      module_id: module.id,
      starts_at: startsAt.toISOString(),
      ends_at: new Date(startsAt.getTime() + 2 * 3600 * 1000).toISOString(),
      location: "Tiers-lieu Efficience, Épinay-sur-Seine",
      capacity: 8,
    },
  }),
);
// Sent twice with one key (a retry after a lost answer): the second is a replay, not a second enrolment.
const enrol = () =>
  member.POST("/api/v1/workshops/{id}/enrolments", {
    params: { path: { id: workshop.id }, header: { "Idempotency-Key": `journey-enrol-${stamp}` } },
  });
const enrolment = expect("enrol", await enrol());
const replayed = await enrol();
const again = expect("enrol again (replayed)", replayed);
if (again.id !== enrolment.id || replayed.response.headers.get("Idempotent-Replayed") !== "true") {
  throw new Error("the retry was not a replay");
}
console.log(`    enrolment ${enrolment.status}`);
console.log("journey: every step answered as the contract says");
