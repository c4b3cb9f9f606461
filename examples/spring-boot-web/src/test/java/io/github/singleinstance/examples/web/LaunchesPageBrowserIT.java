package io.github.singleinstance.examples.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.singleinstance.spring.testing.LaunchedJvm;
import io.github.singleinstance.testsupport.TestEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page at {@code /} in a real headless browser: Debian's chromium driven by its chromedriver. Skipped where
 * chromium is not installed, a failure in strict mode ({@code SINGLE_INSTANCE_TEST_STRICT=true}).
 */
class LaunchesPageBrowserIT {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private final String id = LaunchedJvm.freshId();
    private final List<LaunchedJvm> launched = new ArrayList<>();
    private WebDriver browser;

    @TempDir
    Path directory;

    @BeforeEach
    void startBrowser() {
        boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        TestEnvironment.requireOrSkip(
                installed,
                "/usr/bin/chromium and /usr/bin/chromedriver are not installed (apt-get install chromium "
                        + "chromium-driver)");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + directory.resolve("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
    }

    @AfterEach
    void stopAll() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            launched.forEach(LaunchedJvm::close);
        }
    }

    @Test
    void pageListsALaterLaunchWithoutReloading() throws Exception {
        LaunchedJvm primary = launch("primary", "first.txt", "--server.port=0");
        String url = WebToolApplicationIT.awaitUrl(primary);
        browser.get(url);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(page -> rows(page).size() == 1);
        assertThat(rows(browser).get(0).getText()).contains("first.txt --server.port=0", String.valueOf(primary.pid()));
        Object pageInstance = ((ChromeDriver) browser).executeScript("return window.pageInstance = Math.random()");

        LaunchedJvm second = launch("second", "report.txt");
        assertThat(second.awaitExit(WebToolApplicationIT.EXIT))
                .as(second.describe())
                .isZero();

        wait.until(page -> rows(page).size() == 2);
        assertThat(rows(browser).get(1).getText())
                .contains(
                        "report.txt",
                        String.valueOf(second.pid()),
                        directory.toRealPath().toString());
        assertThat(((ChromeDriver) browser).executeScript("return window.pageInstance"))
                .isEqualTo(pageInstance);
    }

    private static List<WebElement> rows(WebDriver page) {
        return page.findElements(By.cssSelector("#launches tr.launch"));
    }

    private LaunchedJvm launch(String name, String... args) {
        LaunchedJvm jvm = LaunchedJvm.start(name, LaunchedJvm.exampleJar(), id, directory, args);
        launched.add(jvm);
        return jvm;
    }
}
