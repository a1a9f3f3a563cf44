package dev.vigil.collector.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.Collector;
import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The status page rendered by Debian's headless Chromium: it loads (under its Content-Security-Policy,
 * with nothing to fetch), and the screenshot shows the green of an up day and the red of a down day.
 * The screenshot stays at {@code collector/target/status-page.png} for people to look at. Skipped when
 * {@code chromium} is not on the PATH ({@code ./vigil test} installs it).
 */
class StatusPageChromiumTest {
    private static final long CHROMIUM_DEADLINE_SECONDS = 120;
    /** How far a pixel may be from the bar colour: none when colour management is off, a little otherwise. */
    private static final int TOLERANCE = 3;
    /** A day bar's height in CSS pixels (StatusHtml's .bars), less a little for rounded corners. */
    private static final int BAR_HEIGHT = 30;

    @TempDir
    Path dir;

    @Test
    void rendersThePageWithUpAndDownBarsInHeadlessChromium() throws IOException, InterruptedException {
        Optional<Path> chromium = onPath("chromium");
        Assumptions.assumeTrue(chromium.isPresent(),
                "chromium is not on the PATH: install Debian's chromium (apt-get install chromium) to run this test");
        Path screenshot = Path.of("target", "status-page.png").toAbsolutePath();
        Files.createDirectories(screenshot.getParent());
        Files.deleteIfExists(screenshot);
        Path log = dir.resolve("chromium.log");

        int exit;
        try (Collector collector = StatusScenario.start(dir.resolve("collector"))) {
            StatusScenario.feed(collector);
            List<String> command = new ArrayList<>(List.of(chromium.get().toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--screenshot=" + screenshot, "--window-size=1280,2000",
                    // Its own profile, not the user's; sRGB so that pixels keep the page's colours.
                    "--user-data-dir=" + dir.resolve("profile"), "--force-color-profile=srgb", "--hide-scrollbars",
                    "--no-first-run", collector.baseUri().resolve("/").toString()));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(CHROMIUM_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("chromium did not finish within " + CHROMIUM_DEADLINE_SECONDS + " s:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            exit = process.exitValue();
        }

        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exit).as("chromium's exit status; its output:\n%s", output).isZero();
        assertThat(screenshot).as("chromium's output:\n%s", output).isRegularFile();
        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertThat(image).as("%s is a PNG", screenshot).isNotNull();
        assertThat(image.getWidth()).isEqualTo(1280);
        assertThat(colours(image)).as("distinct colours in %s", screenshot).hasSizeGreaterThan(10);
        // A day bar is 34 px tall; the state pills and tags in the same colours are shorter.
        assertThat(tallestColumn(image, DayFigure.Bar.UP.colour())).as("an up day's green bar in %s", screenshot)
                .isGreaterThanOrEqualTo(BAR_HEIGHT);
        assertThat(tallestColumn(image, DayFigure.Bar.DOWN.colour())).as("a down day's red bar in %s", screenshot)
                .isGreaterThanOrEqualTo(BAR_HEIGHT);
    }

    @Test
    void rendersAServicesPageWithItsBarsInHeadlessChromium() throws IOException, InterruptedException {
        Optional<Path> chromium = onPath("chromium");
        Assumptions.assumeTrue(chromium.isPresent(),
                "chromium is not on the PATH: install Debian's chromium (apt-get install chromium) to run this test");
        Path screenshot = Path.of("target", "service-page.png").toAbsolutePath();
        Files.createDirectories(screenshot.getParent());
        Files.deleteIfExists(screenshot);
        Path log = dir.resolve("chromium.log");

        int exit;
        try (Collector collector = StatusScenario.start(dir.resolve("collector"))) {
            StatusScenario.feed(collector);
            Process process = new ProcessBuilder(List.of(chromium.get().toString(), "--headless", "--no-sandbox",
                    "--disable-gpu", "--screenshot=" + screenshot, "--window-size=1280,1200",
                    "--user-data-dir=" + dir.resolve("profile"), "--force-color-profile=srgb", "--hide-scrollbars",
                    "--no-first-run", collector.baseUri().resolve("/services/api").toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(CHROMIUM_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("chromium did not finish within " + CHROMIUM_DEADLINE_SECONDS + " s:\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            exit = process.exitValue();
        }

        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(exit).as("chromium's exit status; its output:\n%s", output).isZero();
        BufferedImage image = ImageIO.read(screenshot.toFile());
        assertThat(image).as("%s is a PNG", screenshot).isNotNull();
        // api is down today: its last day's bar is red.
        assertThat(tallestColumn(image, DayFigure.Bar.DOWN.colour())).as("a down day's red bar in %s", screenshot)
                .isGreaterThanOrEqualTo(BAR_HEIGHT);
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        try (Stream<String> dirs = Stream.of(path.split(File.pathSeparator))) {
            return dirs.filter(d -> !d.isEmpty()).map(d -> Path.of(d, program)).filter(Files::isExecutable)
                    .findFirst();
        }
    }

    private static Set<Integer> colours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                colours.add(image.getRGB(x, y) & 0xFFFFFF);
            }
        }
        return colours;
    }

    /** The most vertically consecutive pixels of {@code hex} in one column of {@code image}. */
    private static int tallestColumn(BufferedImage image, String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        int tallest = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            int run = 0;
            for (int y = 0; y < image.getHeight(); y++) {
                int pixel = image.getRGB(x, y);
                run = near(pixel >> 16, rgb >> 16) && near(pixel >> 8, rgb >> 8) && near(pixel, rgb) ? run + 1 : 0;
                tallest = Math.max(tallest, run);
            }
        }
        return tallest;
    }

    private static boolean near(int a, int b) {
        return Math.abs((a & 0xFF) - (b & 0xFF)) <= TOLERANCE;
    }
}
