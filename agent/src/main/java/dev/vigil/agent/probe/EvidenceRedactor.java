package dev.vigil.agent.probe;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.HttpAuth;
import dev.vigil.config.check.HttpHeader;
import dev.vigil.config.check.HttpProbeSpec;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Takes secrets out of a check's failure evidence before it is journaled: credential-bearing
 * response headers, the check's own configured secret values wherever they appear, and
 * {@code password=...}-like assignments in a body.
 *
 * <p>Three rules, applied in this order:
 * <ol>
 *   <li>the value of a header named {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie},
 *       {@code Set-Cookie}, or whose name contains {@code token}, {@code secret}, {@code key},
 *       {@code password}, {@code auth} or {@code session}, becomes {@value #REDACTED};</li>
 *   <li>every occurrence of a secret value of the check's configuration (its request header values,
 *       basic-auth password, bearer token, proxy password, the URL's password and query parameter
 *       values), in any text of the evidence, becomes {@value #REDACTED}; values shorter than
 *       {@value #MIN_SECRET_CHARS} characters are left alone, as they would blank out ordinary text;</li>
 *   <li>in a body or an error text, the value after {@code password}, {@code passwd}, {@code secret},
 *       {@code token}, {@code api_key}, {@code apikey} or {@code access_key} and {@code =} or {@code :}
 *       becomes {@value #REDACTED}.</li>
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
    // The key, then its separator with optional JSON quoting and spaces, then the value up to a delimiter.
    private static final Pattern ASSIGNMENT = Pattern.compile(
            "(?i)(password|passwd|secret|token|api_key|apikey|access_key)"
            + "(\"?\\s*[=:]\\s*\"?)([^\\s\"'&,;<>{}\\[\\]]+)");

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
        }
        http.auth().ifPresent(auth -> {
            if (auth instanceof HttpAuth.Basic basic) {
                secrets.add(basic.password());
            } else if (auth instanceof HttpAuth.Bearer bearer) {
                secrets.add(bearer.token());
            }
        });
        addUrlSecrets(http.url(), secrets);
        http.proxy().ifPresent(proxy -> addUrlSecrets(proxy, secrets));
        return new EvidenceRedactor(secrets);
    }

    /** The password of {@code url}'s user info and the values of its query parameters, raw and decoded. */
    private static void addUrlSecrets(URI url, List<String> secrets) {
        String userInfo = url.getRawUserInfo();
        if (userInfo != null && userInfo.indexOf(':') >= 0) {
            addRawAndDecoded(userInfo.substring(userInfo.indexOf(':') + 1), secrets);
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

    /** {@code text} without the check's configured secret values. */
    String text(String text) {
        String redacted = text;
        for (String secret : secrets) {
            if (redacted.contains(secret)) {
                redacted = redacted.replace(secret, REDACTED);
            }
        }
        return redacted;
    }

    /** {@code body} (or an error text) without configured secrets nor the values of secret-looking assignments. */
    String body(String body) {
        String redacted = text(body);
        Matcher matcher = ASSIGNMENT.matcher(redacted);
        if (!matcher.find()) {
            return redacted;
        }
        StringBuilder out = new StringBuilder(redacted.length());
        do {
            matcher.appendReplacement(out, Matcher.quoteReplacement(matcher.group(1) + matcher.group(2) + REDACTED));
        } while (matcher.find());
        matcher.appendTail(out);
        return out.toString();
    }
}
