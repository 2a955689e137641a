package org.marlopt.env.param;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.marlopt.env.EnvArgumentException;

class ParametersTest {

    private static final List<ParameterSpec> SPECS = List.of(
            ParameterSpec.number("rate", "A rate.", 0.5, 0.0, 1.0),
            ParameterSpec.number("step", "A positive step.", 0.1, Double.MIN_VALUE, 1.0),
            ParameterSpec.integer("agents", "Agents.", 4, 2, 64),
            ParameterSpec.bool("noisy", "Noise on.", false),
            ParameterSpec.choice("topology", "Graph.", "ring", List.of("ring", "complete")),
            ParameterSpec.numbers("loads", "Loads; empty: drawn.", List.of(), 0.0, 1.0, 2, 3));

    private static String fieldOf(Map<String, ?> given) {
        return assertThrows(EnvArgumentException.class, () -> Parameters.resolve(SPECS, given)).field();
    }

    private static String messageOf(Map<String, ?> given) {
        return assertThrows(EnvArgumentException.class, () -> Parameters.resolve(SPECS, given)).getMessage();
    }

    @Test
    void defaultsFillEveryMissingParameterInDeclarationOrder() {
        Parameters params = Parameters.resolve(SPECS, Map.of());
        assertEquals(List.of("rate", "step", "agents", "noisy", "topology", "loads"), List.copyOf(params.asMap().keySet()));
        assertEquals(0.5, params.number("rate"));
        assertEquals(4, params.integer("agents"));
        assertEquals("ring", params.choice("topology"));
        assertArrayEquals(new double[0], params.numbers("loads"), "the empty 'derived' default is accepted");
    }

    @Test
    void givenValuesOfEveryTypeAreAccepted() {
        Parameters params = Parameters.resolve(SPECS, Map.of("rate", 1, "agents", 8.0, "noisy", true,
                "topology", "complete", "loads", List.of(0.25, 1)));
        assertEquals(1.0, params.number("rate"));
        assertEquals(8, params.integer("agents"), "a whole number is an integer");
        assertTrue(params.bool("noisy"));
        assertArrayEquals(new double[] {0.25, 1.0}, params.numbers("loads"));
    }

    @Test
    void everyInvalidValueNamesItsParameterAndTheFix() {
        assertEquals("params.bogus", fieldOf(Map.of("bogus", 1)));
        assertTrue(messageOf(Map.of("bogus", 1)).contains("accepted: [rate, step, agents"));
        assertEquals("params.rate", fieldOf(Map.of("rate", 1.5)));
        assertTrue(messageOf(Map.of("rate", 1.5)).contains("must be in [0, 1], got 1.5"));
        assertEquals("params.rate", fieldOf(Map.of("rate", Double.NaN)));
        assertTrue(messageOf(Map.of("step", 0)).contains("step must be in (0, 1], got 0"));
        assertEquals("params.rate", fieldOf(Map.of("rate", "high")));
        assertTrue(messageOf(Map.of("agents", 2.5)).contains("whole number"));
        assertEquals("params.agents", fieldOf(Map.of("agents", 1)));
        assertEquals("params.noisy", fieldOf(Map.of("noisy", 1)));
        assertTrue(messageOf(Map.of("topology", "star")).contains("must be one of [ring, complete], got 'star'"));
        assertTrue(messageOf(Map.of("loads", List.of(0.5))).contains("must have 2 to 3 numbers, got 1"));
        assertTrue(messageOf(Map.of("loads", List.of(0.5, 2.0))).contains("loads[1] must be in [0, 1]"));
        assertEquals("params.loads", fieldOf(Map.of("loads", 0.5)));
    }
}
