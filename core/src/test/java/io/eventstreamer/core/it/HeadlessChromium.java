package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium, driven through its chromedriver, with a fresh profile that is deleted
 * on {@link #close()}. The browser tests fail, rather than skip, when either program is missing
 * ({@code .ci/run} installs them).
 *
 * <pre>{@code
 * static HeadlessChromium chromium;
 *
 * @BeforeAll
 * static void startBrowser() throws IOException {
 *     chromium = HeadlessChromium.start("console", options -> { });
 * }
 * }</pre>
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path TARGET = Path.of(System.getProperty("basedir", "."), "target");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;
    private final Path profile;

    private HeadlessChromium(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * Starts a browser; chromedriver logs to {@code target/chromedriver-<name>.log}.
     *
     * @param customize adds arguments or capabilities to the options every browser test uses
     */
    static HeadlessChromium start(String name, Duration wait, Consumer<ChromeOptions> customize) throws IOException {
        assertThat(Files.isExecutable(CHROMIUM))
                .as("%s is missing: the browser tests need Debian's chromium and chromium-driver"
                        + " (apt-get install chromium chromium-driver; .ci/run installs them)", CHROMIUM)
                .isTrue();
        assertThat(Files.isExecutable(CHROMEDRIVER))
                .as("%s is missing: the browser tests need Debian's chromium-driver"
                        + " (apt-get install chromium-driver; .ci/run installs it)", CHROMEDRIVER)
                .isTrue();
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        Files.createDirectories(TARGET);
        Path profile = Files.createTempDirectory(name + "-browser-test");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(TARGET.resolve("chromedriver-" + name + ".log").toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // Without the background-networking flags Chromium's own connections are refused by a closed
        // network, many at a time.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + profile);
        customize.accept(options);
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(wait).scriptTimeout(wait);
        return new HeadlessChromium(driver, profile);
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Quits the browser and deletes its profile. */
    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }
}
