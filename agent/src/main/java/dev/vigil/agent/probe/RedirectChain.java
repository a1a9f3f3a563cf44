package dev.vigil.agent.probe;

import dev.vigil.config.check.HttpMethod;
import dev.vigil.protocol.Outcome;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The redirects one HTTP run has followed: decides where the next request goes, with which method
 * and body, and stops a chain that is too long or goes round in a loop. Browser rules: 303, and
 * 301/302 after a {@code POST}, continue as {@code GET} without a body; 307 and 308 repeat the
 * request as it was.
 */
final class RedirectChain {

    /** What to do about one redirect response. */
    sealed interface Step permits Follow, Stop {
    }

    /** Send {@code next}. */
    record Follow(HopRequest next) implements Step {
    }

    /** End the run with {@code failure}. */
    record Stop(ResponseFailure failure) implements Step {
    }

    private final int maxRedirects;
    private final String originHost;
    private final URI first;
    private final List<String> steps = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();

    /** A chain starting at {@code first}, allowed {@code maxRedirects} (≥ 1) redirects. */
    RedirectChain(HopRequest first, int maxRedirects) {
        this.maxRedirects = maxRedirects;
        this.originHost = first.url().getHost().toLowerCase(Locale.ROOT);
        this.first = first.url();
        seen.add(first.key());
    }

    /** Whether {@code status} is a redirect this chain follows. */
    static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** How many redirects were followed so far. */
    int followed() {
        return steps.size();
    }

    /** The step after {@code from} answered {@code status} with {@code location}. */
    Step follow(HopRequest from, int status, String location) {
        URI target;
        try {
            target = from.url().resolve(new URI(location.trim()));
        } catch (URISyntaxException e) {
            return new Stop(ResponseFailure.of(Outcome.PROTOCOL_ERROR, "redirect " + status + " from " + from.url()
                    + " has a Location that is not a URL ('" + location + "'): " + e.getReason()));
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || target.getHost() == null) {
            return new Stop(ResponseFailure.of(Outcome.PROTOCOL_ERROR, "redirect " + status + " from " + from.url()
                    + " leads to " + target + ", which is not an http(s) URL with a host"));
        }
        boolean toGet = status == 303 && from.method() != HttpMethod.HEAD
                || (status == 301 || status == 302) && from.method() == HttpMethod.POST;
        HopRequest next = new HopRequest(target, toGet ? HttpMethod.GET : from.method(), toGet ? "" : from.body(),
                target.getHost().toLowerCase(Locale.ROOT).equals(originHost));
        steps.add(status + " " + shortForm(from.url(), next.url()));
        if (steps.size() > maxRedirects) {
            return new Stop(ResponseFailure.of(Outcome.TOO_MANY_REDIRECTS,
                    "more than " + maxRedirects + " redirects: " + chain()));
        }
        if (!seen.add(next.key())) {
            return new Stop(ResponseFailure.of(Outcome.TOO_MANY_REDIRECTS, "redirect loop: " + chain()));
        }
        return new Follow(next);
    }

    /** The chain as {@code http://a/x → 302 /y → 301 https://b/z}; a URL on the previous origin shows only its path. */
    String chain() {
        return first + " → " + String.join(" → ", steps);
    }

    private static String shortForm(URI previous, URI next) {
        boolean sameOrigin = previous.getScheme().equalsIgnoreCase(next.getScheme())
                && String.valueOf(previous.getRawAuthority()).equalsIgnoreCase(String.valueOf(next.getRawAuthority()));
        if (!sameOrigin) {
            return next.toString();
        }
        return next.getRawQuery() == null ? next.getRawPath() : next.getRawPath() + "?" + next.getRawQuery();
    }
}
