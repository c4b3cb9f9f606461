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
 * The ring starts 8 bytes before its end, so the producer's first record needs a padding record and its second
 * lands after the wrap, while the consumer polls concurrently: a record is only ever read once committed (never
 * torn), the padding hides nothing, and nothing is read twice. r1 = intact, r2 = torn, r3 = out of order.
 */
@JCStressTest
@Outcome(id = "2, 0, 0", expect = Expect.ACCEPTABLE, desc = "both records once, whole, in order")
@Outcome(expect = Expect.FORBIDDEN, desc = "a record lost, torn, doubled or reordered at the wrap")
@State
public class ProducerConsumerAtTheWrapTest {

    private final RingStress stress = new RingStress().startingAt(RingStress.CAPACITY - 8);

    @Actor
    public void producer() {
        stress.offer(RingStress.payload(1, 1));
        stress.offer(RingStress.payload(1, 2));
    }

    @Actor
    public void consumer() {
        for (int i = 0; i < 6; i++) {
            stress.pollOnce();
        }
    }

    @Arbiter
    public void arbiter(III_Result r) {
        stress.drain();
        r.r1 = stress.intact();
        r.r2 = stress.torn();
        r.r3 = stress.orderBroken();
    }
}
