/** A webhook receiver that records every request it gets and can answer with chosen failures. */
package dev.vigil.testsupport.webhook;
