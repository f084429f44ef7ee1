package dev.engram.surface.dashboard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven through the system's chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}; {@code bin/test-chromium.sh}, sourced by {@code .ci/run}, installs them and exports
 * {@code ENGRAM_TEST_CHROMIUM} / {@code ENGRAM_TEST_CHROMEDRIVER}). Selenium Manager is never asked to download
 * anything: both paths are given. Without them the test is skipped on a developer machine and fails under CI
 * ({@code CI} or {@code ENGRAM_REQUIRE_BROWSER} set, as {@code .ci/run} does).
 */
final class TestBrowser implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(30); // a loaded 2-core CI machine starts Chromium slowly

    final ChromeDriver driver;
    private final WebDriverWait wait;

    private TestBrowser(ChromeDriver driver) {
        this.driver = driver;
        this.wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
        wait.ignoring(StaleElementReferenceException.class); // the page redraws parts of itself on every poll
    }

    static TestBrowser start() {
        Path chromium = executable("ENGRAM_TEST_CHROMIUM", "/usr/bin/chromium");
        Path chromedriver = executable("ENGRAM_TEST_CHROMEDRIVER", "/usr/bin/chromedriver");
        ChromeOptions options = new ChromeOptions().setBinary(chromium.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--window-size=1280,900", "--lang=zh-CN");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        return new TestBrowser(new ChromeDriver(service, options));
    }

    private static Path executable(String env, String fallback) {
        String configured = System.getenv(env);
        Path path = Path.of(configured == null || configured.isBlank() ? fallback : configured);
        if (!Files.isExecutable(path)) {
            String why = "no " + path + " for the browser test: `. bin/test-chromium.sh` installs chromium and chromium-driver";
            if (System.getenv("CI") != null || System.getenv("ENGRAM_REQUIRE_BROWSER") != null) {
                throw new IllegalStateException("CI run without a browser: " + why);
            }
            Assumptions.abort(why);
        }
        return path;
    }

    <T> T until(Function<WebDriver, T> condition) {
        return wait.until(condition);
    }

    /** The element's text once it is shown. */
    String text(String id) {
        return until(d -> d.findElement(By.id(id))).getText();
    }

    /** Waits until the element with this id shows text matching the predicate; returns that text. */
    String awaitText(String id, java.util.function.Predicate<String> accept) {
        return until(d -> {
            String t = d.findElement(By.id(id)).getText();
            return accept.test(t) ? t : null;
        });
    }

    WebElement element(By by) {
        return until(d -> {
            WebElement e = d.findElement(by);
            return e.isDisplayed() ? e : null;
        });
    }

    /** Types into a field (clearing it) and submits its form. */
    void submit(String inputId, String value) {
        WebElement input = element(By.id(inputId));
        input.clear();
        input.sendKeys(value);
        input.submit();
    }

    /**
     * Saves a full-page PNG at a viewport width in CSS pixels (a phone: 2× pixels and mobile layout) once the
     * page has polled again at that width, then restores the desktop viewport.
     */
    void screenshot(Path file, int width, boolean phone) {
        try {
            Files.createDirectories(file.getParent());
            metrics(width, 900, phone);
            String shown = text("live"); // the charts are drawn at the width of the poll that drew them
            until(d -> !d.findElement(By.id("live")).getText().equals(shown));
            long height = (Long) ((JavascriptExecutor) driver).executeScript(
                    "return Math.ceil(document.documentElement.scrollHeight)");
            metrics(width, (int) Math.min(height, 6000), phone);
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
    }

    private void metrics(int width, int height, boolean phone) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
                "width", width, "height", height, "deviceScaleFactor", phone ? 2 : 1, "mobile", phone));
    }

    @Override
    public void close() {
        driver.quit();
    }
}
