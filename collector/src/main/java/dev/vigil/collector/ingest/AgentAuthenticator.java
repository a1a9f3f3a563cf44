package dev.vigil.collector.ingest;

import dev.vigil.collector.config.AgentConfig;
import dev.vigil.collector.config.TokenDigest;
import io.vertx.core.http.HttpServerRequest;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Finds the agent an ingest request comes from, by its credentials only: an
 * {@code Authorization: Bearer <token>} header, a client certificate the TLS handshake verified, or
 * both. Nothing in the payload names the agent.
 *
 * <p>An agent must present every credential configured for it, and every credential presented must
 * name the same agent: a token of agent A on a connection with agent B's certificate is refused, so a
 * stolen token is useless without the matching certificate. A verified certificate that names no
 * agent is ignored when a token authenticates an agent without a certificate name, and refused with
 * 403 when it is the only credential.
 *
 * <p>The presented token is hashed and compared with every agent's digest in constant time, all of
 * them, so neither the comparison nor the loop tells an attacker how close a guess was.
 */
public final class AgentAuthenticator {
    private static final String BEARER = "bearer ";
    private static final int DNS_NAME = 2;
    static final String NO_CREDENTIALS = "missing or unknown bearer token";

    private final List<AgentConfig> agents;

    /** An authenticator for {@code agents}. */
    public AgentAuthenticator(List<AgentConfig> agents) {
        this.agents = List.copyOf(agents);
    }

    /**
     * Checks the credentials {@code request} carries: its {@code Authorization} header and the leaf
     * certificate the TLS handshake verified, if the client presented one.
     */
    public Authentication authenticate(HttpServerRequest request) {
        return authenticate(request.getHeader("Authorization"), clientCertificate(request));
    }

    /**
     * Checks the credentials of one request.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param certificate   the client's leaf certificate, already verified by the TLS handshake, or empty
     */
    public Authentication authenticate(String authorization, Optional<X509Certificate> certificate) {
        Optional<AgentConfig> byToken = Optional.empty();
        if (authorization != null) {
            byToken = byToken(authorization);
            if (byToken.isEmpty()) {
                return unauthorized(NO_CREDENTIALS);
            }
        }
        Optional<AgentConfig> byCertificate = certificate.flatMap(this::byCertificate);
        if (byToken.isPresent()) {
            AgentConfig agent = byToken.get();
            if (byCertificate.isPresent() && byCertificate.get() != agent) {
                return unauthorized("the bearer token and the client certificate belong to different agents");
            }
            if (agent.certificateName().isPresent() && byCertificate.isEmpty()) {
                return unauthorized("this agent must also present its client certificate");
            }
            return accepted(agent);
        }
        if (byCertificate.isPresent()) {
            AgentConfig agent = byCertificate.get();
            if (agent.tokenDigest().isPresent()) {
                return unauthorized("this agent must also present its bearer token");
            }
            return accepted(agent);
        }
        if (certificate.isPresent()) {
            return new Authentication.Refused(403, RejectReason.FORBIDDEN,
                    "the client certificate names no configured agent");
        }
        return unauthorized(NO_CREDENTIALS);
    }

    private static Optional<X509Certificate> clientCertificate(HttpServerRequest request) {
        SSLSession session = request.isSSL() ? request.sslSession() : null;
        if (session == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = session.getPeerCertificates();
            return chain.length > 0 && chain[0] instanceof X509Certificate leaf ? Optional.of(leaf) : Optional.empty();
        } catch (SSLPeerUnverifiedException e) {
            // No certificate presented (client_auth: optional): the token alone must authenticate.
            return Optional.empty();
        }
    }

    /** The agent whose token {@code authorization} carries, when it is a bearer header with a known token. */
    private Optional<AgentConfig> byToken(String authorization) {
        if (authorization.length() <= BEARER.length()
                || !authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)) {
            return Optional.empty();
        }
        TokenDigest presented = TokenDigest.of(authorization.substring(BEARER.length()).trim());
        AgentConfig found = null;
        for (AgentConfig agent : agents) {
            if (agent.tokenDigest().isPresent() && agent.tokenDigest().get().matches(presented) && found == null) {
                found = agent;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The agent whose certificate name is the subject CN or a DNS name of {@code certificate}, if exactly one. */
    private Optional<AgentConfig> byCertificate(X509Certificate certificate) {
        List<String> names = names(certificate);
        AgentConfig found = null;
        for (AgentConfig agent : agents) {
            if (agent.certificateName().isPresent() && names.contains(agent.certificateName().get())) {
                if (found != null) {
                    // A certificate for two agents proves neither.
                    return Optional.empty();
                }
                found = agent;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The subject's common names and the DNS subject alternative names, lower case. */
    static List<String> names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    names.add(rdn.getValue().toString().toLowerCase(Locale.ROOT));
                }
            }
        } catch (InvalidNameException e) {
            // The JDK wrote this name in RFC 2253 form itself; an unparsable one just has no common name.
        }
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (alternative.size() == 2 && alternative.get(0) instanceof Integer type && type == DNS_NAME) {
                        names.add(alternative.get(1).toString().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // The TLS stack accepted the certificate; unreadable extensions only mean no alternative names.
        }
        return names;
    }

    private static Authentication accepted(AgentConfig agent) {
        return new Authentication.Accepted(new AgentIdentity(agent.name(), agent.tenant()));
    }

    private static Authentication unauthorized(String message) {
        return new Authentication.Refused(401, RejectReason.UNAUTHORIZED, message);
    }
}
