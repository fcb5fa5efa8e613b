/**
 * A thin typed client for the Tremplin API: `openapi-fetch` over the types that
 * `openapi-typescript` generates from `openapi/openapi.json` (src/schema.ts), plus
 * three conveniences every front-end needs:
 *
 * - the bearer token is added to every request;
 * - on a 401, the session is refreshed once (concurrent 401s share one refresh,
 *   since a refresh token is usable once) and the request is sent again;
 * - every POST carries an `Idempotency-Key` (kept across that retry), so that a
 *   request repeated after a lost answer changes nothing twice.
 */
import createClient from "openapi-fetch";
import type { Client } from "openapi-fetch";

import type { components, operations, paths } from "./schema.js";

export type { components, operations, paths } from "./schema.js";
export type Schemas = components["schemas"];
export type Problem = Schemas["Problem"];
export type ErrorCode = Schemas["ErrorCode"];

/** The tokens of a session, as `/auth/register`, `/auth/login` and `/auth/refresh` give them. */
export interface Tokens {
  access_token: string;
  refresh_token: string;
}

/** Where the session lives: memory by default; a browser app may keep it elsewhere. */
export interface TokenStore {
  get(): Tokens | undefined;
  set(tokens: Tokens | undefined): void;
}

export function memoryTokenStore(initial?: Tokens): TokenStore {
  let tokens = initial;
  return {
    get: () => tokens,
    set: (next) => {
      tokens = next;
    },
  };
}

export interface TremplinOptions {
  /** The server, e.g. `https://tremplin.example` (the paths start with `/api/v1`). */
  baseUrl: string;
  tokens?: TokenStore;
  /** Makes the `Idempotency-Key` of a POST; a random UUID by default. */
  idempotencyKey?: () => string;
  /** Called when the session cannot be refreshed (sign in again). */
  onSessionExpired?: () => void;
  fetch?: typeof globalThis.fetch;
}

export type TremplinClient = Client<paths> & {
  /** The session store the client reads and updates. */
  readonly tokens: TokenStore;
};

const REFRESH_PATH = "/api/v1/auth/refresh";

export function createTremplinClient(options: TremplinOptions): TremplinClient {
  const tokens = options.tokens ?? memoryTokenStore();
  const send = options.fetch ?? globalThis.fetch;
  const newKey = options.idempotencyKey ?? (() => globalThis.crypto.randomUUID());
  const baseUrl = options.baseUrl.replace(/\/+$/, "");
  let refreshing: Promise<boolean> | undefined;

  async function refresh(): Promise<boolean> {
    const current = tokens.get();
    if (!current) return false;
    const response = await send(`${baseUrl}${REFRESH_PATH}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: current.refresh_token }),
    });
    if (!response.ok) {
      tokens.set(undefined);
      options.onSessionExpired?.();
      return false;
    }
    const pair = (await response.json()) as Schemas["TokenPair"];
    tokens.set({ access_token: pair.access_token, refresh_token: pair.refresh_token });
    return true;
  }

  function withBearer(request: Request): Request {
    const access = tokens.get()?.access_token;
    if (access) request.headers.set("Authorization", `Bearer ${access}`);
    return request;
  }

  async function fetchWithSession(input: Request): Promise<Response> {
    if (input.method === "POST" && !input.headers.has("Idempotency-Key")) {
      input.headers.set("Idempotency-Key", newKey());
    }
    const isAuth = new URL(input.url).pathname.startsWith("/api/v1/auth/");
    const retry = isAuth ? undefined : input.clone();
    const response = await send(withBearer(input));
    if (response.status !== 401 || !retry || !tokens.get()) return response;
    refreshing ??= refresh().finally(() => {
      refreshing = undefined;
    });
    return (await refreshing) ? send(withBearer(retry)) : response;
  }

  const client = createClient<paths>({ baseUrl, fetch: fetchWithSession });
  return Object.assign(client, { tokens });
}
