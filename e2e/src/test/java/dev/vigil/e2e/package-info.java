/**
 * End-to-end tests: the real collector and agent jars run as processes against loopback targets,
 * and are killed with SIGKILL where a test says so.
 */
package dev.vigil.e2e;
