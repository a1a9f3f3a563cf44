package dev.vigil.agent.probe;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.HttpAuth;
import dev.vigil.config.check.HttpHeader;
import dev.vigil.config.check.HttpProbeSpec;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes secrets out of a check's failure evidence before it is journaled: credential-bearing
 * response headers, the check's own configured secret values wherever they appear, and the values of
 * secret-looking assignments ({@code password=...}, {@code "token": "..."}, {@code ?code=...}) in any text.
 *
 * <p>Three rules, applied in this order:
 * <ol>
 *   <li>the value of a header named {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie},
 *       {@code Set-Cookie}, or whose name contains {@code token}, {@code secret}, {@code key},
 *       {@code password}, {@code auth} or {@code session}, becomes {@value #REDACTED};</li>
 *   <li>every occurrence of a secret value of the check's configuration (its request header values and,
 *       for an auth header, the credentials after the scheme; the basic-auth password and the
 *       base64 {@code user:password} sent for it; the bearer token; the URL's and the proxy's password
 *       and base64 credentials; the URL's query parameter values), in any text of the evidence, becomes
 *       {@value #REDACTED}; values shorter than {@value #MIN_SECRET_CHARS} characters are left alone,
 *       as they would blank out ordinary text;</li>
 *   <li>in any text (header values, status line, body, error), the value after {@code password},
 *       {@code passwd}, {@code secret}, {@code token} (so {@code access_token}), {@code api_key},
 *       {@code apikey}, {@code access_key} or {@code authorization} and {@code =} or {@code :}, and after
 *       {@code code}, {@code sig} or {@code signature} and {@code =}, becomes {@value #REDACTED}: a
 *       quoted value whole, an unquoted value after {@code =} up to whitespace, {@code &}, {@code ,},
 *       {@code ;} or a quote, an unquoted value after {@code :} up to the end of its line (YAML) or one
 *       of those delimiters but whitespace.</li>
 * </ol>
 */
final class EvidenceRedactor {
    /** What a redacted value reads. */
    static final String REDACTED = "[redacted]";
    /** The shortest configured value treated as a secret to look for. */
    static final int MIN_SECRET_CHARS = 4;

    private static final Set<String> SECRET_HEADERS = Set.of("authorization", "proxy-authorization", "cookie",
            "set-cookie");
    private static final List<String> SECRET_HEADER_WORDS = List.of("token", "secret", "key", "password", "auth",
            "session");
    private static final String SECRET_KEYS =
            "password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|authorization";
    // code, sig and signature are secrets in a query or form (OAuth codes, signed URLs) but ordinary
    // words in JSON ("code": 503), so only "=" counts for them, and only as a whole word.
    private static final String QUERY_ONLY_KEYS = "(?<![A-Za-z0-9])(?:signature|sig|code)";
    private static final String QUOTED = "\"(?:[^\"\\\\\r\n]|\\\\.)*\"|'[^'\r\n]*'";
    // The key, then "=" with optional JSON quoting and spaces, then the value: quoted whole, or up to a delimiter.
    private static final Pattern EQUALS_ASSIGNMENT = Pattern.compile(
            "(?i)(" + SECRET_KEYS + "|" + QUERY_ONLY_KEYS + ")(\"?\\s*=\\s*)"
            + "(" + QUOTED + "|[^\\s\"'&,;<>{}\\[\\]]+)");
    // The key, then ":", then the value: quoted whole, or up to the end of the line (a YAML value may hold
    // spaces) or a delimiter, trailing spaces kept out.
    private static final Pattern COLON_ASSIGNMENT = Pattern.compile(
            "(?i)(" + SECRET_KEYS + ")(\"?[ \\t]*:[ \\t]*)"
            + "(" + QUOTED + "|[^\\r\\n\"'&,;<>{}\\[\\]]*[^\\s\"'&,;<>{}\\[\\]])");
    private static final Pattern AUTH_SCHEME = Pattern.compile("^\\S+\\s+(\\S.*)$");

    /** No configured secrets: only the header and assignment rules apply. */
    static final EvidenceRedactor NONE = new EvidenceRedactor(List.of());

    private final List<String> secrets;

    /** A redactor looking for {@code secrets} (longest first, so a secret containing another goes whole). */
    EvidenceRedactor(List<String> secrets) {
        List<String> kept = new ArrayList<>(new LinkedHashSet<>(secrets));
        kept.removeIf(secret -> secret.length() < MIN_SECRET_CHARS);
        kept.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(kept);
    }

    /** The redactor for {@code check}'s configured secrets. */
    static EvidenceRedactor of(CheckConfig check) {
        if (!(check.probe() instanceof HttpProbeSpec http)) {
            return NONE;
        }
        List<String> secrets = new ArrayList<>();
        for (HttpHeader header : http.headers()) {
            secrets.add(header.value());
            if (header.name().toLowerCase(Locale.ROOT).contains("auth")) {
                // "Bearer X" is found whole, but a server echoing only X must not leak it.
                Matcher credentials = AUTH_SCHEME.matcher(header.value().strip());
                if (credentials.matches()) {
                    secrets.add(credentials.group(1));
                }
            }
        }
        http.auth().ifPresent(auth -> {
            if (auth instanceof HttpAuth.Basic basic) {
                secrets.add(basic.password());
                // What RequestBuilder sends; a page echoing the request head shows this, not the password.
                secrets.add(base64(basic.username() + ":" + basic.password()));
            } else if (auth instanceof HttpAuth.Bearer bearer) {
                secrets.add(bearer.token());
            }
        });
        addUrlSecrets(http.url(), secrets);
        http.proxy().ifPresent(proxy -> addUrlSecrets(proxy, secrets));
        return new EvidenceRedactor(secrets);
    }

    /**
     * The password of {@code url}'s user info (raw, decoded, and as the base64 {@code user:password} of a
     * {@code Basic} header built from it) and the values of its query parameters, raw and decoded.
     */
    private static void addUrlSecrets(URI url, List<String> secrets) {
        String userInfo = url.getRawUserInfo();
        if (userInfo != null && userInfo.indexOf(':') >= 0) {
            addRawAndDecoded(userInfo.substring(userInfo.indexOf(':') + 1), secrets);
            secrets.add(base64(url.getUserInfo()));
        }
        String query = url.getRawQuery();
        if (query == null) {
            return;
        }
        for (String parameter : query.split("&")) {
            int equals = parameter.indexOf('=');
            if (equals >= 0) {
                addRawAndDecoded(parameter.substring(equals + 1), secrets);
            }
        }
    }

    private static String base64(String credentials) {
        return Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    private static void addRawAndDecoded(String raw, List<String> secrets) {
        secrets.add(raw);
        try {
            secrets.add(URLDecoder.decode(raw, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            // A malformed escape: the raw form is all there is to find.
        }
    }

    /** The value to keep of response header {@code name} whose value is {@code value}. */
    String header(String name, String value) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (SECRET_HEADERS.contains(lower)) {
            return REDACTED;
        }
        for (String word : SECRET_HEADER_WORDS) {
            if (lower.contains(word)) {
                return REDACTED;
            }
        }
        return text(value);
    }

    /**
     * {@code text} (a header value, the status line, a body, an error text, a DNS answer) without the
     * check's configured secret values nor the values of secret-looking assignments.
     */
    String text(String text) {
        String redacted = text;
        for (String secret : secrets) {
            if (redacted.contains(secret)) {
                redacted = redacted.replace(secret, REDACTED);
            }
        }
        return redactAssignments(COLON_ASSIGNMENT, redactAssignments(EQUALS_ASSIGNMENT, redacted));
    }

    private static String redactAssignments(Pattern assignment, String text) {
        Matcher matcher = assignment.matcher(text);
        if (!matcher.find()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        do {
            String value = matcher.group(3);
            char first = value.charAt(0);
            String quote = first == '"' || first == '\'' ? String.valueOf(first) : "";
            matcher.appendReplacement(out,
                    Matcher.quoteReplacement(matcher.group(1) + matcher.group(2) + quote + REDACTED + quote));
        } while (matcher.find());
        matcher.appendTail(out);
        return out.toString();
    }
}
