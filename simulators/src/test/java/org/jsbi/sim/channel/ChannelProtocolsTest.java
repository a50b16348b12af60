package org.jsbi.sim.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The five protocols as the paper's code read them, and the paper-data locator. */
class ChannelProtocolsTest {

    @Test
    void shapesTimeStepAndFirstSampleFollowThePapersReader() {
        ChannelProtocols prot = ChannelProtocols.load();
        int[][] shapes = {{16, 27995}, {12, 69995}, {15, 27995}, {1, 71995}, {1, 115994}};
        for (int p = 0; p < 5; p++) {
            ChannelProtocol cp = prot.get(p);
            System.out.println("channel protocol " + cp);
            assertEquals(ChannelProtocols.NAMES.get(p), cp.name());
            assertEquals(shapes[p][0], cp.sweeps(), cp.name() + " sweeps");
            assertEquals(shapes[p][1], cp.samples(), cp.name() + " samples (the t = 0 row is the code's header)");
            assertEquals(0.025, cp.firstTime(), 0, cp.name() + " starts at t = 0.025");
            assertTrue(cp.dt() > 0.025 && cp.dt() < 0.025004, cp.name() + " mean step " + cp.dt());
        }
        assertEquals(16 * 27995 + 12 * 69995 + 15 * 27995 + 71995 + 115994, prot.totalLength());
    }

    @Test
    void commandVoltagesAreThePublishedSteps() {
        ChannelProtocols prot = ChannelProtocols.load();
        ChannelProtocol act = prot.get(0), inact = prot.get(1), deact = prot.get(2), ramp = prot.get(4);
        for (int k = 0; k < 16; k++) {
            assertEquals(-80f, act.voltage(k, 1000), 0f, "act hold, sweep " + k);
            assertEquals(-80f + 10 * k, act.voltage(k, 12000), 0f, "act step (~300 ms), sweep " + k);
        }
        for (int k = 0; k < 12; k++) {
            assertEquals(-40f + 10 * k, inact.voltage(k, 40000), 0f, "inact conditioning (~1000 ms), sweep " + k);
            assertEquals(30f, inact.voltage(k, 65000), 0f, "inact test pulse (~1625 ms), sweep " + k);
        }
        for (int k = 0; k < 15; k++) {
            assertEquals(70f, deact.voltage(k, 10000), 0f, "deact pre-pulse (~250 ms), sweep " + k);
            assertEquals(-100f + 10 * k, deact.voltage(k, 20000), 0f, "deact step (~500 ms), sweep " + k);
        }
        float top = Float.NEGATIVE_INFINITY;
        for (int t = 0; t < ramp.samples(); t++) top = Math.max(top, ramp.voltage(0, t));
        assertEquals(70f, top, 0.5f, "ramp peak");
    }

    @Test
    void missingDataGiveClearErrors(@TempDir Path tmp) {
        PaperDataException e = assertThrows(PaperDataException.class,
                () -> PaperData.locate(tmp.resolve("nope").toString(), tmp));
        assertTrue(e.getMessage().contains(PaperData.DIR_PROPERTY), e.getMessage());
        e = assertThrows(PaperDataException.class, () -> PaperData.locate(null, tmp));
        assertTrue(e.getMessage().contains("../shared/paper-data"), e.getMessage());
        assertTrue(e.getMessage().contains("in the working directory " + tmp + " or any folder above it"),
                e.getMessage());
        assertTrue(e.getMessage().contains("JSBI_JAVA_OPTS"), e.getMessage());
        e = assertThrows(PaperDataException.class, () -> ChannelProtocols.read(tmp));
        assertTrue(e.getMessage().contains("protocol_v_act.csv"), e.getMessage());
    }
}
