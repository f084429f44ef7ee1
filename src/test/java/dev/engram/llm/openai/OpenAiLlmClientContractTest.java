package dev.engram.llm.openai;

import org.junit.jupiter.api.AfterEach;

import java.time.Duration;
import java.util.Map;
import dev.engram.llm.LlmClient;
import dev.engram.llm.LlmClientContract;
import dev.engram.llm.ModelSlot;
import dev.engram.bench.fakellm.FakeLlmProfile;
import dev.engram.bench.fakellm.FakeLlmServer;

/** The OpenAI client against the fake server, which answers memory prompts contract-validly. */
class OpenAiLlmClientContractTest extends LlmClientContract {

    private FakeLlmServer server;

    @Override
    protected LlmClient newClient() {
        server = FakeLlmServer.start(0, FakeLlmProfile.instant());
        return new OpenAiLlmClient(new OpenAiSettings(server.baseUrl(), null,
                Map.of(ModelSlot.REPLY, "fake-reply", ModelSlot.UTILS, "fake-utils",
                        ModelSlot.UTILS_SMALL, "fake-small"),
                Duration.ofSeconds(2), Duration.ofSeconds(10), 4));
    }

    @AfterEach
    void stopServer() {
        server.close();
    }
}
