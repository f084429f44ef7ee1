package dev.engram.memory.instant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.engram.memory.instant.FactUpdate.Kind;
import dev.engram.model.StoredMemory;

class FactUpdateTest {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    private static StoredMemory current(long id, String text) {
        return new StoredMemory(id, "c1", text, List.of(), List.of(), T0.plusSeconds(id));
    }

    private static StoredMemory superseded(long id, String text, long by) {
        return new StoredMemory(id, "c1", text, List.of(), List.of(), T0.plusSeconds(id), T0.plusSeconds(by), by, List.of());
    }

    @Test
    void a_fact_of_a_new_attribute_is_added() {
        FactUpdate u = FactUpdate.decide("我最喜欢的数字是 1", List.of(current(1, "我最喜欢的电影是《千与千寻》")));

        assertThat(u.kind()).isEqualTo(Kind.ADD);
        assertThat(u.supersedes()).isEmpty();
    }

    @Test
    void a_new_value_of_the_same_attribute_supersedes_the_current_one() {
        FactUpdate u = FactUpdate.decide("记忆：我最喜欢的数字是 2", List.of(current(1, "记忆：我最喜欢的数字是 1"),
                current(5, "我最喜欢的电影是《千与千寻》")));

        assertThat(u.kind()).isEqualTo(Kind.UPDATE);
        assertThat(u.supersedes()).containsExactly(1L);
    }

    @Test
    void the_same_value_again_is_a_noop() {
        StoredMemory known = current(3, "记忆：我最喜欢的数字是 3");

        FactUpdate u = FactUpdate.decide("我最喜欢的数字是 3。", List.of(known));

        assertThat(u.kind()).isEqualTo(Kind.NOOP);
        assertThat(u.duplicate()).contains(known);
    }

    @Test
    void a_superseded_fact_is_ignored_so_an_old_value_can_become_current_again() {
        FactUpdate u = FactUpdate.decide("我最喜欢的数字是 1", List.of(superseded(1, "我最喜欢的数字是 1", 2),
                current(2, "我最喜欢的数字是 2")));

        assertThat(u.kind()).isEqualTo(Kind.UPDATE);
        assertThat(u.supersedes()).containsExactly(2L);
    }

    @Test
    void another_speakers_fact_of_the_same_attribute_is_not_superseded() {
        FactUpdate u = FactUpdate.decide("小王：我住在北京", List.of(current(1, "小林：我住在上海")));

        assertThat(u.kind()).isEqualTo(Kind.ADD);
    }

    @Test
    void a_move_of_the_same_speaker_supersedes_where_they_lived() {
        assertThat(FactUpdate.decide("小林：我搬到了杭州", List.of(current(1, "小林：我住在上海"))).supersedes())
                .containsExactly(1L);
    }

    @Test
    void english_favourites_and_allergies_are_compared_by_attribute() {
        assertThat(FactUpdate.decide("Nadia: My favorite colour is green",
                List.of(current(1, "Nadia: my favourite colour is blue"))).kind()).isEqualTo(Kind.UPDATE);
        assertThat(FactUpdate.decide("I am allergic to shellfish", List.of(current(1, "I am allergic to shellfish.")))
                .kind()).isEqualTo(Kind.NOOP);
    }

    @Test
    void text_that_is_no_single_fact_is_always_added() {
        List<StoredMemory> known = List.of(current(1, "我最喜欢的数字是 1"));

        assertThat(FactUpdate.decide("我最喜欢的数字是多少？", known).kind()).isEqualTo(Kind.ADD);
        assertThat(FactUpdate.decide("我最喜欢的数字是 2。我住在上海。", known).kind()).isEqualTo(Kind.ADD);
        assertThat(FactUpdate.decide("下周三我要去上海出差", known).kind()).isEqualTo(Kind.ADD);
    }

    @Test
    void a_second_allergy_is_added_beside_the_first_not_instead_of_it() {
        FactUpdate u = FactUpdate.decide("小林：我对芒果过敏", List.of(current(1, "小林：我对花生过敏")));
        FactUpdate again = FactUpdate.decide("小林：我对花生过敏", List.of(current(1, "小林：我对花生过敏")));

        assertThat(u.kind()).isEqualTo(Kind.ADD);
        assertThat(u.supersedes()).isEmpty();
        assertThat(again.kind()).isEqualTo(Kind.NOOP);
    }
}
