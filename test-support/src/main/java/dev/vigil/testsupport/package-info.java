/**
 * Loopback servers for tests: targets that misbehave on purpose and receivers that record what they
 * get. One class per job; every server binds an ephemeral port on 127.0.0.1 and is closed by its test.
 */
package dev.vigil.testsupport;
