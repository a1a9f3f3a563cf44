/**
 * Probe targets on 127.0.0.1, one class per behaviour: a healthy or status-answering HTTP server
 * (optionally over TLS with a certificate from a throw-away
 * {@link dev.vigil.testsupport.target.TestCertificateAuthority}), a server that stalls, one that
 * resets, one that cuts a response short, one that answers garbage, a port whose accept queue is full
 * (connects time out) and a port that refuses connections. For HTTP checks: redirect chains and loops,
 * canned responses (any framing, headers, JSON, gzip), a trickling, a stalling and a mid-body
 * resetting download, an HTTP/2 server (ALPN and h2c) and a {@code CONNECT} proxy; the certificate
 * authority also issues expired, soon-expiring, wrong-name, self-signed and client certificates.
 * For TCP and TLS checks: a banner server, one that hangs up mid-dialogue, an IRC-like PING/PONG
 * server, an SMTP-like STARTTLS server and a TLS server that counts full handshakes.
 * Each is closed by its test.
 */
package dev.vigil.testsupport.target;
