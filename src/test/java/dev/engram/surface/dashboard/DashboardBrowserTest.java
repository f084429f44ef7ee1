package dev.engram.surface.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import com.fasterxml.jackson.databind.JsonNode;

import dev.engram.app.TestServer;
import dev.engram.bench.fakellm.FakeLlmProfile;
import dev.engram.bench.fakellm.FakeLlmServer;
import dev.engram.bench.fakellm.LatencySpec;

/**
 * Issue 13's done-when, in a real headless Chromium against a real Engram: the dashboard follows the engine
 * live (message count, lane figures), searches a chat as recall does, edits, pins and deletes memories and forgets
 * a speaker from the page (checked over the API: nothing deleted is recalled), asks for the API token, shows
 * dead letters, and leaves screenshots of both views at desktop and phone widths (in {@code target/screenshots}, or the directory {@code ENGRAM_SCREENSHOTS_DIR} names:
 * the README's come from {@code ENGRAM_SCREENSHOTS_DIR=docs/screenshots}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
    private static final String CHAT = "family-qq";
    /**
     * Memory LLM calls this slow keep the ingest lane busy (a chat's stores run one after the other, two calls
     * each) across several of the page's polls, one every 1.5 s.
     */
    private static final Duration MEMORY_CALL = Duration.ofMillis(700);
    private static final List<String[]> TALK = List.of(
            new String[] {"10001", "小林", "记住：我对花生过敏，吃了会起疹子"},
            new String[] {"10002", "阿梅", "我下周三去杭州出差，周五回来"},
            new String[] {"10001", "小林", "我的猫叫年糕，三岁了"},
            new String[] {"10002", "阿梅", "记住：阿梅最喜欢的颜色是蓝色"});

    @TempDir
    static Path dir;
    static FakeLlmServer llm;
    static TestServer server;
    static TestBrowser browser;

    @BeforeAll
    static void start() {
        browser = TestBrowser.start(); // first: skips (or fails under CI) before anything else starts
        llm = FakeLlmServer.start(0, FakeLlmProfile.instant().forModel("fake-memory", LatencySpec.fixed(MEMORY_CALL)));
        server = TestServer.start(dir, "", """
                [llm]
                provider = "openai"
                base_url = "%s"
                [llm.models]
                reply = "fake-reply"
                utils = "fake-memory"
                utils_small = "fake-memory"
                [tasks]
                drain_deadline_ms = 200
                """.formatted(llm.baseUrl()));
    }

    @AfterAll
    static void stop() {
        if (browser != null) browser.close();
        if (server != null) server.close();
        if (llm != null) llm.close();
    }

    private static void say(String[] turn) throws Exception {
        TestServer.Response r = server.post("/api/message", TestServer.JSON.writeValueAsString(Map.of(
                "chat_id", CHAT, "user_id", turn[0], "user_name", turn[1], "message", turn[2])));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
    }

    private static String url(String fragment) {
        return server.uri("/").toString() + fragment;
    }

    /** The lanes' queued + running + retry-waiting figures as the page shows them. */
    private static int busyOnPage() {
        int busy = 0;
        for (WebElement row : browser.driver.findElements(By.cssSelector("#lanes tr"))) {
            String lane = row.getAttribute("id").substring("lane-".length());
            for (String f : new String[] {"queued", "running", "retry_waiting"}) {
                busy += Integer.parseInt(row.findElement(By.id("lane-" + lane + "-" + f)).getText().replace(",", ""));
            }
        }
        return busy;
    }

    private static Path screenshots() {
        return Path.of(System.getenv().getOrDefault("ENGRAM_SCREENSHOTS_DIR", "target/screenshots"));
    }

    private static long number(String id) {
        return Long.parseLong(browser.awaitText(id, t -> t.matches("[0-9,]+")).replace(",", ""));
    }

    @Test
    @Order(1)
    void the_engine_view_follows_messages_and_lanes_without_a_reload() throws Exception {
        browser.driver.get(url("#engine"));
        long before = number("count-messages");
        long succeededBefore = number("total-succeeded");
        assertThat(before).isEqualTo(server.messageCount());
        browser.until(d -> d.findElements(By.cssSelector("#lanes tr")).size() >= 3);

        for (String[] turn : TALK) say(turn);

        long expected = server.messageCount();
        assertThat(expected).isGreaterThan(before);
        browser.awaitText("count-messages", t -> t.equals(String.valueOf(expected)));
        // the stores and their slow memory calls show up in the lanes, then drain away
        browser.until(d -> busyOnPage() > 0);
        server.awaitIngestIdle();
        browser.until(d -> busyOnPage() == 0 && number("total-succeeded") > succeededBefore);
        assertThat(browser.text("count-chats")).isEqualTo("1");
        browser.awaitText("lat-count", t -> !t.equals("0") && !t.equals("–"));
        // the histogram's bars add up to the recalls it says it shows (read at one poll)
        browser.until(d -> {
            String window = d.findElement(By.id("latency-window")).getText();
            long bars = d.findElements(By.cssSelector("#latency-histogram text.count")).stream()
                    .mapToLong(e -> Long.parseLong(e.getText())).sum();
            return window.matches("\\d+ recall\\(s\\) in the last \\d+ s") && bars > 0
                    && bars == Long.parseLong(window.substring(0, window.indexOf(' ')));
        });
        assertThat(browser.driver.getCurrentUrl()).endsWith("#engine"); // the same page all along
    }

    @Test
    @Order(2)
    void a_chat_is_searched_as_recall_does_it_with_each_results_source_and_score() {
        browser.driver.get(url("#memory"));
        browser.submit("chat-input", CHAT);
        browser.submit("search-input", "花生过敏");

        browser.awaitText("search-status", t -> t.contains("result(s)"));
        List<WebElement> results = browser.until(d -> {
            List<WebElement> found = d.findElements(By.cssSelector("#search-results li"));
            return found.isEmpty() ? null : found;
        });
        assertThat(results).anySatisfy(li -> assertThat(li.getText()).contains("花生"));
        for (WebElement li : results) {
            assertThat(li.findElement(By.cssSelector(".badge")).getText()).isNotBlank();
            assertThat(li.findElement(By.cssSelector(".score")).getText()).matches("[0-9.]+");
        }
        assertThat(browser.driver.findElements(By.cssSelector("#search-sources .source"))).isNotEmpty();
        browser.awaitText("concepts-caption", t -> t.contains("花生过敏"));
    }

    @Test
    @Order(3)
    void memories_are_browsed_edited_and_deleted_from_the_page_and_a_deleted_one_is_no_longer_recalled() throws Exception {
        browser.driver.get(url("#memory"));
        browser.until(d -> d.findElements(By.cssSelector("#chat-select option[value='" + CHAT + "']")).size() == 1);
        new Select(browser.element(By.id("chat-select"))).selectByValue(CHAT);

        // edit: the new text replaces the old one in the list and over the API; the old one is kept as superseded
        browser.submit("browse-text", "年糕"); // the list's text filter
        WebElement cat = memoryOnPage("年糕");
        long catId = Long.parseLong(cat.getDomAttribute("data-id"));
        cat.findElement(By.cssSelector("button.edit")).click();
        WebElement area = browser.element(By.cssSelector("#memory-" + catId + " textarea"));
        area.clear();
        area.sendKeys("小林的猫叫麻薯，三岁了");
        browser.element(By.cssSelector("#memory-" + catId + " form button[type=submit]")).click();
        WebElement edited = memoryOnPage("麻薯");
        long editedId = Long.parseLong(edited.getDomAttribute("data-id"));
        assertThat(editedId).isNotEqualTo(catId);
        JsonNode after = server.get("/api/memories/" + editedId).json();
        assertThat(after.path("memory").path("text").asText()).isEqualTo("小林的猫叫麻薯，三岁了");
        assertThat(server.get("/api/memories/" + catId).json().path("memory").path("current").asBoolean()).isFalse();

        // pin and unpin from the page: the button and the API agree
        edited.findElement(By.cssSelector("button.pin")).click();
        browser.until(d -> d.findElement(By.cssSelector("#memory-" + editedId + " button.pin")).getText().equals("Unpin"));
        assertThat(browser.element(By.cssSelector("#memory-" + editedId + " .meta")).getText()).contains("pinned");
        assertThat(server.get("/api/memories/" + editedId).json().path("memory").path("pinned").asBoolean()).isTrue();
        browser.element(By.cssSelector("#memory-" + editedId + " button.pin")).click();
        browser.until(d -> d.findElement(By.cssSelector("#memory-" + editedId + " button.pin")).getText().equals("Pin"));
        assertThat(server.get("/api/memories/" + editedId).json().path("memory").path("pinned").asBoolean()).isFalse();

        // delete: recalled before, gone from the page, the API and recall after
        browser.submit("browse-text", "花生");
        WebElement peanut = memoryOnPage("花生");
        long id = Long.parseLong(peanut.getDomAttribute("data-id"));
        String text = server.get("/api/memories/" + id).json().path("memory").path("text").asText();
        assertThat(recalled("花生过敏")).contains(text);
        peanut.findElement(By.cssSelector("button.delete")).click();
        browser.until(ExpectedConditions.alertIsPresent()).accept();
        assertThat(browser.element(By.id("deleted-" + id)).getText()).contains("deleted");
        assertThat(server.get("/api/memories/" + id).status()).isEqualTo(404);
        assertThat(recalled("花生过敏")).doesNotContain(text);
    }

    @Test
    @Order(4)
    void with_an_api_token_the_page_asks_for_it_once_then_shows_the_data_and_retries_a_dead_letter() throws Exception {
        FakeLlmProfile failing = FakeLlmProfile.instant()
                .forModel("fake-memory", new FakeLlmProfile.Behavior(LatencySpec.fixed(Duration.ZERO), 1.0,
                        FakeLlmProfile.Failure.status(500)));
        try (FakeLlmServer broken = FakeLlmServer.start(0, failing);
             TestServer guarded = TestServer.start(dir.resolve("guarded"), "api_token = \"correct-horse\"", """
                     [llm]
                     provider = "openai"
                     base_url = "%s"
                     [llm.models]
                     reply = "fake-reply"
                     utils = "fake-memory"
                     utils_small = "fake-memory"
                     [tasks.store]
                     max_attempts = 2
                     backoff_base_ms = 50
                     backoff_max_ms = 100
                     jitter = 0.0
                     """.formatted(broken.baseUrl()))) {
            browser.driver.get("http://127.0.0.1:" + guarded.engram.port() + "/#engine");
            browser.element(By.id("token-form"));
            assertThat(browser.text("count-messages")).isEqualTo("–"); // nothing shown without the token

            browser.submit("token-input", "wrong-horse");
            browser.awaitText("token-error", t -> t.contains("refused"));
            browser.submit("token-input", "correct-horse");

            browser.awaitText("count-messages", t -> t.equals("0"));
            assertThat(browser.driver.findElement(By.id("token-form")).isDisplayed()).isFalse();
            browser.driver.navigate().refresh(); // kept for the session: not asked again
            browser.awaitText("live", t -> t.startsWith("live"));
            assertThat(browser.driver.findElement(By.id("token-form")).isDisplayed()).isFalse();

            // a store whose memory calls always fail ends as a dead letter, shown with its error
            assertThat(guarded.post("/api/message", "{\"chat_id\": \"broken\", \"message\": \"我周末去爬山\"}",
                    "Authorization", "Bearer correct-horse").status()).isEqualTo(200);
            List<String> dead = browser.until(d -> { // the list is redrawn on every poll: read it in one go
                List<WebElement> letters = d.findElements(By.cssSelector("#dead-letters li"));
                return letters.isEmpty() ? null : List.of(letters.getFirst().getDomAttribute("data-id"),
                        letters.getFirst().getText(), letters.getFirst().findElement(By.cssSelector(".error")).getText());
            });
            String id = dead.get(0);
            assertThat(id).startsWith("store-");
            assertThat(dead.get(1)).startsWith(id).contains(" store · chat broken · 2 attempt(s)");
            assertThat(dead.get(2)).contains("HTTP 500"); // the last error, as the engine saw it
            assertThat(browser.text("total-dead")).isNotEqualTo("0");
            browser.awaitText("dead-note", t -> t.contains("Retry puts one back"));
            browser.element(By.cssSelector("#dead-letters li button.retry"));
            browser.screenshot(screenshots().resolve("engine-dead-letter-desktop.png"), 1280, false);

            // once the model answers again, Retry runs the store again: it succeeds and leaves the list
            int port = broken.port();
            broken.close();
            try (FakeLlmServer healthy = FakeLlmServer.start(port, FakeLlmProfile.instant())) {
                String row = "#dead-letters li[data-id='" + id + "']";
                browser.until(d -> {
                    d.findElement(By.cssSelector(row + " button.retry")).click();
                    return true;
                });
                browser.until(d -> d.findElements(By.cssSelector(row)).isEmpty());
                browser.until(d -> {
                    try {
                        return guarded.get("/api/tasks/" + id, "Authorization", "Bearer correct-horse").json()
                                .path("state").asText().equalsIgnoreCase("succeeded");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }
    }

    @Test
    @Order(5)
    void screenshots_of_both_views_at_desktop_and_phone_widths() throws Exception {
        Path out = screenshots();
        browser.driver.get(url("#engine"));
        long succeeded = number("total-succeeded");
        say(new String[] {"10002", "阿梅", "杭州今天一直在下雨"}); // traffic while the page watches, for the rate chart
        say(new String[] {"10001", "小林", "年糕今天把花瓶打碎了"});
        assertThat(server.post("/api/memory/build", "").status()).isEqualTo(202);
        browser.awaitText("graph-runs", t -> t.matches("(?s).*last build\n(ok|failed|interrupted) · .*"));
        browser.until(d -> number("total-succeeded") > succeeded && busyOnPage() == 0);
        browser.screenshot(out.resolve("engine-desktop.png"), 1280, false);
        browser.screenshot(out.resolve("engine-phone.png"), 390, true);

        browser.driver.get(url("#memory"));
        browser.submit("chat-input", CHAT);
        browser.submit("search-input", "阿梅去杭州出差");
        browser.until(d -> !d.findElements(By.cssSelector("#search-results li")).isEmpty());
        browser.screenshot(out.resolve("memory-desktop.png"), 1280, false);
        browser.screenshot(out.resolve("memory-phone.png"), 390, true);

        for (String name : new String[] {"engine-desktop", "engine-phone", "memory-desktop", "memory-phone"}) {
            assertThat(out.resolve(name + ".png")).isNotEmptyFile();
        }
    }

    @Test
    @Order(6)
    void a_speaker_is_forgotten_from_the_page_and_nothing_of_theirs_is_recalled_afterwards() throws Exception {
        browser.driver.get(url("#memory"));
        browser.submit("chat-input", CHAT);
        browser.awaitText("browse-note", t -> t.endsWith("shown"));
        Map<Long, Boolean> before = memoriesOf("10001"); // id → whether any of it came from 10002's messages
        assertThat(before).containsValue(false);
        assertThat(recalled("杭州出差")).anyMatch(t -> t.contains("杭州")); // 10002's trip, before

        browser.submit("forget-speaker", "10002");
        browser.until(ExpectedConditions.alertIsPresent()).accept();

        browser.awaitText("forget-note", t -> t.startsWith("Forgot 10002"));
        assertThat(server.get("/api/chats/" + CHAT + "/memories?speaker=10002&state=all").json().path("memories"))
                .isEmpty();
        assertThat(recalled("杭州出差")).noneMatch(t -> t.contains("杭州"));
        // the other speaker keeps every memory of their own; only those drawn from 10002's messages went with them
        Map<Long, Boolean> after = memoriesOf("10001");
        assertThat(after).doesNotContainValue(true);
        before.forEach((id, mixed) -> { if (!mixed) assertThat(after).containsKey(id); });
        browser.until(d -> d.findElements(By.cssSelector("#memories li.memory")).stream()
                .noneMatch(li -> li.getText().contains("杭州")));
    }

    /** A speaker's memories in the chat: id → whether their provenance includes a message of speaker 10002. */
    private static Map<Long, Boolean> memoriesOf(String speaker) throws Exception {
        Map<Long, Boolean> memories = new TreeMap<>();
        for (JsonNode m : server.get("/api/chats/" + CHAT + "/memories?state=all&speaker=" + speaker).json().path("memories")) {
            boolean mixed = false;
            for (JsonNode message : server.get("/api/memories/" + m.path("id").asLong()).json().path("provenance")) {
                mixed |= message.path("user_id").asText().equals("10002");
            }
            memories.put(m.path("id").asLong(), mixed);
        }
        return memories;
    }

    /** The first memory on the page whose text contains {@code part}. */
    private static WebElement memoryOnPage(String part) {
        return browser.until(d -> d.findElements(By.cssSelector("#memories li.memory")).stream()
                .filter(li -> li.findElement(By.cssSelector(".text")).getText().contains(part)).findFirst().orElse(null));
    }

    /** The texts a search of the chat recalls over the API. */
    private static List<String> recalled(String q) throws Exception {
        List<String> texts = new ArrayList<>();
        server.get("/api/memory/search?chat_id=" + CHAT + "&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)).json().path("memories").forEach(m -> texts.add(m.path("text").asText()));
        return texts;
    }
}
