package dev.vigil.agent.blackbox;

import java.time.Duration;
import java.util.Optional;

/**
 * How long one {@code /probe} run may take, decided as blackbox_exporter decides it: the scraper's
 * timeout ({@code X-Prometheus-Scrape-Timeout-Seconds}, 120 s when absent) less an offset, or the
 * module's {@code timeout} when that is shorter.
 */
final class ScrapeTimeout {
    /** The header in which Prometheus sends its scrape timeout, in seconds. */
    static final String HEADER = "X-Prometheus-Scrape-Timeout-Seconds";
    /** blackbox_exporter's default {@code --timeout-offset}: time left for the answer to travel back. */
    static final double DEFAULT_OFFSET_SECONDS = 0.5;
    /** The scrape timeout taken when the request names none. */
    static final double DEFAULT_SCRAPE_TIMEOUT_SECONDS = 120;
    /** The shortest run: a run always gets some time, where blackbox_exporter would give up at once. */
    static final Duration MIN = Duration.ofMillis(1);

    private ScrapeTimeout() {
    }

    /**
     * The timeout for a module whose {@code timeout} is {@code moduleTimeout} (zero: none), for a
     * request whose header value is {@code header}.
     *
     * @throws NumberFormatException when the header is not a finite number, with Go's wording
     */
    static Duration of(Duration moduleTimeout, Optional<String> header, double offsetSeconds) {
        double scrapeSeconds = 0;
        if (header.isPresent()) {
            String text = header.get().trim();
            try {
                scrapeSeconds = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new NumberFormatException("strconv.ParseFloat: parsing \"" + header.get() + "\": invalid syntax");
            }
            if (!Double.isFinite(scrapeSeconds) || text.matches(".*[dDfFxX].*")) {
                throw new NumberFormatException("strconv.ParseFloat: parsing \"" + header.get() + "\": invalid syntax");
            }
        }
        if (scrapeSeconds == 0) {
            scrapeSeconds = DEFAULT_SCRAPE_TIMEOUT_SECONDS;
        }
        double maxSeconds = scrapeSeconds - offsetSeconds;
        double moduleSeconds = moduleTimeout.toNanos() / 1e9;
        double seconds = (moduleSeconds < maxSeconds && moduleSeconds > 0) || maxSeconds < 0 ? moduleSeconds : maxSeconds;
        Duration timeout = Duration.ofNanos((long) (seconds * 1e9));
        return timeout.compareTo(MIN) < 0 ? MIN : timeout;
    }
}
