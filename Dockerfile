# Tremplin API: the `tremplin` binary on Debian slim.
#
#   docker build -t tremplin .
#   docker run --rm -p 8080:8080 tremplin                 # SQLite in /app/tremplin.db
#   docker run --rm tremplin openapi > openapi.json       # any subcommand works
#
# See docker-compose.yml for PostgreSQL + a one-shot migration + the API.

# ---- build ------------------------------------------------------------------
# Edition 2024 needs Rust >= 1.85; `rust:1-bookworm` is the newest stable 1.x.
FROM rust:1-bookworm AS builder
WORKDIR /src

# Dependency layer: the manifests and the lockfile with empty crate sources, so
# that the dependencies are compiled once and reused until a manifest or
# Cargo.lock changes. Every workspace member needs a target to be loadable.
COPY Cargo.toml Cargo.lock ./
COPY api/Cargo.toml api/Cargo.toml
COPY entity/Cargo.toml entity/Cargo.toml
COPY migration/Cargo.toml migration/Cargo.toml
COPY tests/Cargo.toml tests/Cargo.toml
RUN for crate in api entity migration tests; do \
        mkdir -p "$crate/src" && touch "$crate/src/lib.rs"; \
    done \
    && echo 'fn main() {}' > api/src/main.rs \
    && cargo build --release -p api --locked \
    && rm -rf api/src entity/src migration/src tests/src

# The real sources. `touch` makes them newer than the stub build, so cargo
# rebuilds the workspace crates whatever timestamps the build context carries.
COPY . .
RUN touch api/src/main.rs api/src/lib.rs entity/src/lib.rs migration/src/lib.rs \
    && cargo build --release -p api --locked \
    && cp target/release/tremplin /usr/local/bin/tremplin

# ---- run --------------------------------------------------------------------
FROM debian:bookworm-slim AS runtime

# ca-certificates for outgoing TLS; curl only for the HEALTHCHECK below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/*

# A non-root user. /app is the working directory and belongs to it: the default
# SQLite database (tremplin.db, plus its -wal/-shm files) is created there.
RUN groupadd --system --gid 10001 tremplin \
    && useradd --system --uid 10001 --gid tremplin --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin tremplin \
    && mkdir /app \
    && chown tremplin:tremplin /app

COPY --from=builder /usr/local/bin/tremplin /usr/local/bin/tremplin

USER tremplin:tremplin
WORKDIR /app

# Listen on every interface of the container (the binary's default is 127.0.0.1:8080).
ENV TREMPLIN_BIND=0.0.0.0:8080
EXPOSE 8080

# 200 once the database answers; 503 when it does not answer within 1 s.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8080/health/ready || exit 1

# Exec form: tremplin is PID 1 and receives SIGTERM itself (graceful shutdown).
ENTRYPOINT ["tremplin"]
CMD ["serve"]
