//! End-to-end tests of `finvex-server`: each test starts the real server on a
//! random loopback port, on a fresh SQLite file (or Postgres when
//! `FINVEX_TEST_DATABASE_URL` is set, for the tests that ask for it), and
//! talks to it over HTTP. The tests are in `tests/`.
