/** A scripted DNS server on loopback UDP: known names resolve, every other name is NXDOMAIN. */
package dev.vigil.testsupport.dns;
