package io.github.singleinstance.jcstress;

import io.github.singleinstance.internal.wire.RingStress;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

/**
 * Two producers race to claim and commit two records each; then the arbiter consumes: every record comes out
 * exactly once, whole, in its producer's order. r1 = intact records, r2 = torn, r3 = out of producer order.
 */
@JCStressTest
@Outcome(id = "4, 0, 0", expect = Expect.ACCEPTABLE, desc = "every record once, whole, in order")
@Outcome(expect = Expect.FORBIDDEN, desc = "a record lost, torn, doubled or reordered")
@State
public class TwoProducersTest {

    private final RingStress stress = new RingStress();

    @Actor
    public void producerOne() {
        stress.offer(RingStress.payload(1, 1));
        stress.offer(RingStress.payload(1, 2));
    }

    @Actor
    public void producerTwo() {
        stress.offer(RingStress.payload(2, 1));
        stress.offer(RingStress.payload(2, 2));
    }

    @Arbiter
    public void arbiter(III_Result r) {
        stress.drain();
        r.r1 = stress.intact();
        r.r2 = stress.torn();
        r.r3 = stress.orderBroken();
    }
}
