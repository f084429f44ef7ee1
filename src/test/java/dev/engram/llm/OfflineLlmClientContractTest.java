package dev.engram.llm;

class OfflineLlmClientContractTest extends LlmClientContract {

    @Override
    protected LlmClient newClient() {
        return new OfflineLlmClient();
    }
}
