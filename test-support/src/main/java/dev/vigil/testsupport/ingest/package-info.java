/**
 * A fake collector ingest endpoint that speaks the real wire format (batches in, acks out), keeps each
 * journal index once, and fails on demand, so the agent's shipper can be tested end to end.
 */
package dev.vigil.testsupport.ingest;
