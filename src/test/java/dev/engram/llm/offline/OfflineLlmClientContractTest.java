package dev.engram.llm.offline;

import dev.engram.llm.LlmClient;
import dev.engram.llm.LlmClientContract;

class OfflineLlmClientContractTest extends LlmClientContract {

    @Override
    protected LlmClient newClient() {
        return new OfflineLlmClient();
    }
}
