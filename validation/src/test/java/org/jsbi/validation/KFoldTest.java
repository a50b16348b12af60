package org.jsbi.validation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.jsbi.random.Rng;
import org.junit.jupiter.api.Test;

/** The fold split follows sklearn's KFold: sizes, a partition of the indices, training sets as complements. */
class KFoldTest {

    @Test
    void foldsPartitionTheIndicesWithSklearnSizes() {
        KFold k = new KFold(11, 5, new Rng(1));
        int[] sizes = IntStream.range(0, 5).map(f -> k.test(f).length).toArray();
        assertArrayEquals(new int[] {3, 2, 2, 2, 2}, sizes, "the first n mod k folds are one longer");
        int[] all = IntStream.range(0, 5).flatMap(f -> Arrays.stream(k.test(f))).sorted().toArray();
        assertArrayEquals(IntStream.range(0, 11).toArray(), all, "every index is tested exactly once");
        for (int f = 0; f < 5; f++) {
            int[] test = k.test(f);
            int[] expectedTrain = IntStream.range(0, 11).filter(i -> Arrays.stream(test).noneMatch(t -> t == i)).toArray();
            assertArrayEquals(expectedTrain, k.train(f), "training indices of fold " + f);
        }
        assertEquals(5, k.folds());
        assertThrows(IllegalArgumentException.class, () -> new KFold(4, 5, new Rng(1)));
    }
}
