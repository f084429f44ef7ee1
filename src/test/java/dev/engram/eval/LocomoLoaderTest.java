package dev.engram.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class LocomoLoaderTest {
    @Test
    void no_file_means_the_shipped_dev_set() throws Exception {
        assertThat(LocomoLoader.loadOrDevSet(null)).isEqualTo(LocomoLoader.loadDevSet());
    }

    @Test
    void loads_the_dev_set_with_every_sample_session_turn_and_question() throws Exception {
        List<LocomoSample> samples = LocomoLoader.loadDevSet();

        assertThat(samples).extracting(LocomoSample::sampleId).containsExactly("dev-zh-1", "dev-zh-2", "dev-en-1", "dev-en-2");
        assertThat(samples.stream().mapToInt(LocomoSample::turnCount).sum()).isEqualTo(885);
        assertThat(samples.stream().mapToInt(s -> s.sessions().size()).sum()).isEqualTo(43);
        Map<Integer, Long> categories = samples.stream().flatMap(s -> s.questions().stream())
                .collect(Collectors.groupingBy(LocomoSample.Question::category, Collectors.counting()));
        assertThat(categories).containsExactlyInAnyOrderEntriesOf(Map.of(1, 36L, 2, 28L, 3, 14L, 4, 72L, 5, 30L));

        LocomoSample en1 = samples.get(2);
        assertThat(en1.speakerA()).isEqualTo("Nadia");
        assertThat(en1.sessions().getFirst().startedAt()).isEqualTo(LocalDateTime.of(2025, 1, 12, 18, 45));
        assertThat(samples).allSatisfy(s -> {
            assertThat(s.sessions()).allSatisfy(session -> assertThat(session.startedAt()).isNotNull());
            Set<String> ids = s.sessions().stream().flatMap(x -> x.turns().stream()).map(LocomoSample.Turn::diaId)
                    .collect(Collectors.toSet());
            assertThat(s.questions()).allSatisfy(q -> assertThat(ids).containsAll(q.evidence()));
            assertThat(s.questions().stream().filter(q -> q.category() == 5)).allSatisfy(q -> assertThat(q.answer()).isNull());
        });
    }

    @Test
    void tolerates_locomo_variations() throws Exception {
        String json = """
                [{"sample_id": "conv-26", "session_summary": {"s1": "ignored"}, "observation": {},
                  "conversation": {"speaker_a": "Caroline", "speaker_b": "Melanie",
                    "session_2_date_time": "1:14 pm on 25 May, 2023",
                    "session_2": [{"speaker": "Melanie", "dia_id": "D2:1", "text": "Look!",
                                   "img_url": ["http://x"], "blip_caption": "a photo of a dog", "query": "dog"}],
                    "session_1_date_time": "1:56 pm on 8 May, 2023",
                    "session_1": [{"speaker": "Caroline", "dia_id": "D1:1", "text": "Hey Mel!"},
                                  {"speaker": "Melanie", "dia_id": "D1:2", "text": ""}],
                    "session_3_date_time": "sometime",
                    "session_3": [{"speaker": "Caroline", "text": "no id here"}]},
                  "qa": [{"question": "How many kids?", "answer": 3, "evidence": ["D1:1; D2:1"], "category": 1},
                         {"question": "Empty evidence", "answer": "x", "evidence": [], "category": "2"},
                         {"question": "Trap", "adversarial_answer": "tempting", "evidence": ["D1:1"], "category": 5},
                         {"answer": "no question"}]}]
                """;

        List<LocomoSample> samples = LocomoLoader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));

        LocomoSample s = samples.getFirst();
        assertThat(s.sessions()).extracting(LocomoSample.Session::number).containsExactly(1, 2, 3);
        assertThat(s.sessions().get(0).turns()).extracting(LocomoSample.Turn::text).containsExactly("Hey Mel!");
        assertThat(s.sessions().get(1).turns().getFirst().text()).isEqualTo("Look! [image: a photo of a dog]");
        assertThat(s.sessions().get(1).startedAt()).isEqualTo(LocalDateTime.of(2023, 5, 25, 13, 14));
        assertThat(s.sessions().get(2).startedAt()).isNull();
        assertThat(s.sessions().get(2).turns().getFirst().diaId()).isEqualTo("D3:1");
        Map<String, LocomoSample.Question> byText = s.questions().stream()
                .collect(Collectors.toMap(LocomoSample.Question::question, Function.identity()));
        assertThat(byText).hasSize(3);
        assertThat(byText.get("How many kids?").answer()).isEqualTo("3");
        assertThat(byText.get("How many kids?").evidence()).containsExactly("D1:1", "D2:1");
        assertThat(byText.get("Empty evidence").evidence()).isEmpty();
        assertThat(byText.get("Empty evidence").category()).isEqualTo(2);
        assertThat(byText.get("Trap").answer()).isNull();
    }

    @Test
    void parses_session_dates() {
        assertThat(LocomoLoader.parseDate("6:45 pm on 12 January, 2025")).isEqualTo(LocalDateTime.of(2025, 1, 12, 18, 45));
        assertThat(LocomoLoader.parseDate("12:05 am on 1 Feb, 2026")).isEqualTo(LocalDateTime.of(2026, 2, 1, 0, 5));
        assertThat(LocomoLoader.parseDate("12:30 pm on 3 March 2024")).isEqualTo(LocalDateTime.of(2024, 3, 3, 12, 30));
        assertThat(LocomoLoader.parseDate("2025-07-13T09:00")).isEqualTo(LocalDateTime.of(2025, 7, 13, 9, 0));
        assertThat(LocomoLoader.parseDate("31 Foo, 2025")).isNull();
    }
}
