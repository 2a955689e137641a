package org.marlopt.client.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.marlopt.proto.env.v2.EnvironmentInfo;
import org.marlopt.proto.env.v2.NumberList;
import org.marlopt.proto.env.v2.ParameterInfo;
import org.marlopt.proto.env.v2.ParameterType;
import org.marlopt.proto.env.v2.ParameterValue;

/** --param values typed against the server's declarations, and the messages of the ones that do not fit. */
class EnvParamsTest {

    static final EnvironmentInfo ENV = EnvironmentInfo.newBuilder().setId("Fleet-v1")
            .addParameters(ParameterInfo.newBuilder().setName("num_agents").setType(ParameterType.PARAMETER_TYPE_INTEGER)
                    .setDefaultValue(ParameterValue.newBuilder().setInteger(8)).setMin(2).setMax(1024))
            .addParameters(ParameterInfo.newBuilder().setName("step_size").setType(ParameterType.PARAMETER_TYPE_NUMBER)
                    .setDefaultValue(ParameterValue.newBuilder().setNumber(0.05)).setMin(Double.MIN_VALUE).setMax(1))
            .addParameters(ParameterInfo.newBuilder().setName("shared").setType(ParameterType.PARAMETER_TYPE_BOOLEAN)
                    .setDefaultValue(ParameterValue.newBuilder().setBoolean(false)))
            .addParameters(ParameterInfo.newBuilder().setName("topology").setType(ParameterType.PARAMETER_TYPE_CHOICE)
                    .setDefaultValue(ParameterValue.newBuilder().setText("ring"))
                    .addAllChoices(List.of("ring", "complete", "erdos_renyi")))
            .addParameters(ParameterInfo.newBuilder().setName("arrival_rates")
                    .setType(ParameterType.PARAMETER_TYPE_NUMBER_LIST)
                    .setDefaultValue(ParameterValue.newBuilder().setNumbers(NumberList.getDefaultInstance()))
                    .setMin(0).setMax(1).setMinLength(2).setMaxLength(4))
            .build();

    private static Map<String, Object> parse(String... keyValues) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            given.put(keyValues[i], keyValues[i + 1]);
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        EnvParams.parse(ENV, given).forEach((name, value) -> typed.put(name, EnvParams.toJava(value)));
        return typed;
    }

    private static String error(String... keyValues) {
        return assertThrows(IllegalArgumentException.class, () -> parse(keyValues)).getMessage();
    }

    @Test
    void textIsTypedAsEachParameterIsDeclared() {
        assertEquals(Map.of("num_agents", 16L, "step_size", 0.1, "shared", true, "topology", "complete",
                "arrival_rates", List.of(0.2, 0.5, 0.25)), parse("num_agents", "16", "step_size", "0.1",
                "shared", "TRUE", "topology", "complete", "arrival_rates", "0.2, 0.5,0.25"));
        assertEquals(1000L, parse("num_agents", "1e3").get("num_agents"), "a whole number in any notation");
        assertEquals(List.of(0.5, 0.5), parse("arrival_rates", "[0.5,0.5]").get("arrival_rates"));
        assertEquals(List.of(), parse("arrival_rates", "").get("arrival_rates"), "the empty default is accepted");
    }

    @Test
    void resolvingFillsInTheDefaults() {
        Map<String, Object> resolved = EnvParams.resolve(ENV, Map.of("topology", "erdos_renyi"));
        assertEquals(List.of("num_agents", "step_size", "shared", "topology", "arrival_rates"),
                List.copyOf(resolved.keySet()));
        assertEquals(8L, resolved.get("num_agents"));
        assertEquals("erdos_renyi", resolved.get("topology"));
    }

    @Test
    void anUnknownNameSuggestsTheClosestDeclaredOne() {
        String message = error("num_agent", "4");
        assertTrue(message.contains("unknown parameter 'num_agent' for Fleet-v1; did you mean 'num_agents'?"),
                message);
        assertTrue(message.contains("[num_agents, step_size, shared, topology, arrival_rates]"), message);
        assertTrue(error("stepsize", "1").contains("did you mean 'step_size'?"));
        assertTrue(!error("colour", "red").contains("did you mean"), "nothing is close to colour");
    }

    @Test
    void aBadValueNamesTheParameterItsTypeAndBounds() {
        assertEquals("bad value 'lots' for parameter 'num_agents' of Fleet-v1 (integer in [2, 1024], default 8)",
                error("num_agents", "lots"));
        assertTrue(error("num_agents", "2000").contains("integer in [2, 1024]"));
        assertTrue(error("num_agents", "2.5").contains("'2.5'"));
        assertEquals("bad value '0' for parameter 'step_size' of Fleet-v1 (number in (0, 1], default 0.05)",
                error("step_size", "0"));
        assertTrue(error("step_size", "NaN").contains("number in (0, 1]"));
        assertTrue(error("shared", "yes").contains("boolean (true or false), default false"));
        assertEquals("bad value 'rng' for parameter 'topology' of Fleet-v1 (choice of [ring, complete, erdos_renyi], "
                + "default ring); did you mean 'ring'?", error("topology", "rng"));
        assertTrue(error("arrival_rates", "0.1,0.2,0.3,0.4,0.5").contains("list of 2 to 4 comma-separated numbers in "
                + "[0, 1], default [] (derived from the other parameters)); got 5 numbers"));
        assertTrue(error("arrival_rates", "0.1,x").contains("'0.1,x'"));
        assertTrue(error("arrival_rates", "0.1,2").contains("in [0, 1]"));
    }
}
