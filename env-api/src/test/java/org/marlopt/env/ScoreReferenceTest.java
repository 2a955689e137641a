package org.marlopt.env;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.marlopt.env.param.Parameters;

class ScoreReferenceTest {

    private static final ScoreReference REFERENCE =
            new ScoreReference("zero", "oracle", ScoreReference.OPTIMUM);

    @Test
    void everyKindIsAccepted() {
        for (String kind : ScoreReference.KINDS) {
            assertEquals(kind, new ScoreReference("zero", "best", kind).kind());
        }
    }

    @Test
    void refusesBlankOrEqualNamesAndUnknownKinds() {
        assertThrows(IllegalArgumentException.class, () -> new ScoreReference("", "best", ScoreReference.BOUND));
        assertThrows(IllegalArgumentException.class, () -> new ScoreReference("zero", " ", ScoreReference.BOUND));
        assertThrows(IllegalArgumentException.class, () -> new ScoreReference(null, "best", ScoreReference.BOUND));
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                () -> new ScoreReference("zero", "zero", ScoreReference.REFERENCE));
        assertTrue(same.getMessage().contains("must differ"), same.getMessage());
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class,
                () -> new ScoreReference("zero", "best", "optimal"));
        assertTrue(kind.getMessage().contains("[optimum, bound, reference]"), kind.getMessage());
    }

    @Test
    void theBuilderCarriesTheReference() {
        assertEquals(REFERENCE, builder().scoreReference(REFERENCE).build().scoreReference());
        assertNull(builder().build().scoreReference());
    }

    @Test
    void theBuilderRefusesAReferenceBesideAScoreKey() {
        IllegalStateException both = assertThrows(IllegalStateException.class,
                () -> builder().scoreKey("score").scoreReference(REFERENCE).build());
        assertTrue(both.getMessage().contains("both score key 'score' and a score reference"), both.getMessage());
    }

    private static EnvSpec.Builder builder() {
        return EnvSpec.builder("Test-v0", Parameters.resolve(List.of(), Map.of()))
                .state(BoxSpace.vector(1, 0f, 1f))
                .maxEpisodeSteps(1)
                .info(InfoSpec.scalar("score", "A normalised score."))
                .agent("agent_0", BoxSpace.vector(1, 0f, 1f), BoxSpace.vector(1, -1f, 1f));
    }
}
