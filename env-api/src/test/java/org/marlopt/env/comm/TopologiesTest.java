package org.marlopt.env.comm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.marlopt.env.EnvArgumentException;

class TopologiesTest {

    @Test
    void aRingLinksEachAgentToItsTwoNeighboursWithMetropolisWeights() {
        CommGraph ring = Topologies.build(Topologies.RING, 5, 0, 0);
        assertEquals(10, ring.edges().size());
        assertArrayEquals(new int[] {1, 4}, ring.inNeighbours(0));
        assertArrayEquals(new int[] {0, 2}, ring.outNeighbours(1));
        assertEquals(1.0 / 3, ring.weight(0, 1), 1e-15);
        assertEquals(1.0 / 3, ring.weight(0, 0), 1e-15);
        assertEquals(0.0, ring.weight(0, 2));
        assertEquals(ring.edges().get(0), new CommGraph.Edge(1, 0, 1.0 / 3), "sorted by (to, from)");
    }

    @Test
    void mixingWeightsAreSymmetricAndDoublyStochasticOnEveryTopology() {
        for (CommGraph graph : new CommGraph[] {Topologies.build(Topologies.RING, 2, 0, 0),
                Topologies.build(Topologies.COMPLETE, 4, 0, 0), Topologies.build(Topologies.ERDOS_RENYI, 9, 0.4, 3)}) {
            int n = graph.numAgents();
            for (int i = 0; i < n; i++) {
                double row = 0;
                double column = 0;
                for (int j = 0; j < n; j++) {
                    assertEquals(graph.weight(i, j), graph.weight(j, i), 1e-15);
                    row += graph.weight(i, j);
                    column += graph.weight(j, i);
                }
                assertEquals(1.0, row, 1e-12);
                assertEquals(1.0, column, 1e-12);
                assertTrue(graph.weight(i, i) > 0, "positive self-weight keeps consensus aperiodic");
            }
        }
    }

    @Test
    void aCompleteGraphOfFourHasTwelveDirectedEdges() {
        CommGraph complete = Topologies.build(Topologies.COMPLETE, 4, 0, 0);
        assertEquals(12, complete.edges().size());
        assertEquals(0.25, complete.weight(2, 3), 1e-15);
    }

    @Test
    void erdosRenyiIsReproducibleAndADisconnectedDrawIsRefused() {
        assertEquals(Topologies.build(Topologies.ERDOS_RENYI, 12, 0.5, 5).edges(),
                Topologies.build(Topologies.ERDOS_RENYI, 12, 0.5, 5).edges());
        EnvArgumentException refused = assertThrows(EnvArgumentException.class,
                () -> Topologies.build(Topologies.ERDOS_RENYI, 12, 0.0, 5));
        assertEquals("params.edge_probability", refused.field());
        assertTrue(refused.getMessage().contains("raise edge_probability or try another graph_seed"));
    }
}
