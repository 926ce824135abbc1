package ai.edgeai.llm.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplerTest {

  static float[] logits(float... v) {
    return v.clone();
  }

  @Test
  void greedyTakesTheFirstMaximum() {
    assertEquals(1, Sampler.argmax(logits(0, 3, 3, 1)));
    assertEquals(1, new ChainSampler(4, SamplingParams.greedy()).sample(logits(0, 3, 3, 1)));
  }

  @Test
  void topKOneIsGreedyWhateverTheSeed() {
    for (long seed = 0; seed < 50; seed++) {
      ChainSampler s = new ChainSampler(5, SamplingParams.defaults(seed).withTopK(1).withMinP(0));
      assertEquals(3, s.sample(logits(1, 2, 0, 5, 4)));
    }
  }

  @Test
  void sameSeedSameChoicesDifferentSeedDiffers() {
    float[] base = new float[100];
    for (int i = 0; i < base.length; i++) base[i] = (float) Math.sin(i) * 2;
    StringBuilder a = new StringBuilder(), b = new StringBuilder(), c = new StringBuilder();
    ChainSampler sa = new ChainSampler(100, SamplingParams.defaults(7).withTemperature(1.5f).withTopK(0).withMinP(0).withTopP(1f));
    ChainSampler sb = new ChainSampler(100, SamplingParams.defaults(7).withTemperature(1.5f).withTopK(0).withMinP(0).withTopP(1f));
    ChainSampler sc = new ChainSampler(100, SamplingParams.defaults(8).withTemperature(1.5f).withTopK(0).withMinP(0).withTopP(1f));
    for (int i = 0; i < 50; i++) {
      a.append(sa.sample(base.clone())).append(',');
      b.append(sb.sample(base.clone())).append(',');
      c.append(sc.sample(base.clone())).append(',');
    }
    assertEquals(a.toString(), b.toString());
    assertNotEquals(a.toString(), c.toString());
  }

  @Test
  void topPKeepsOnlyTheNucleus() {
    // probabilities ~ 0.64, 0.24, 0.09, 0.03: top-p 0.8 keeps the first two only
    Set<Integer> seen = new HashSet<>();
    for (long seed = 0; seed < 400; seed++) {
      ChainSampler s = new ChainSampler(4, new SamplingParams(1f, 0, 0.8f, 0f, 1f, 0, seed));
      seen.add(s.sample(logits(3, 2, 1, 0)));
    }
    assertEquals(Set.of(0, 1), seen);
  }

  @Test
  void minPDropsUnlikelyTokens() {
    Set<Integer> seen = new HashSet<>();
    for (long seed = 0; seed < 400; seed++) {
      ChainSampler s = new ChainSampler(4, new SamplingParams(1f, 0, 1f, 0.3f, 1f, 0, seed));
      seen.add(s.sample(logits(3, 2, 1, 0)));
    }
    // p(1)/p(0) = e^-1 ≈ 0.37 ≥ 0.3 stays; p(2)/p(0) ≈ 0.14 goes
    assertEquals(Set.of(0, 1), seen);
  }

  @Test
  void repetitionPenaltyDemotesRecentTokens() {
    ChainSampler s = new ChainSampler(3, new SamplingParams(0f, 0, 1f, 0f, 2f, 8, 0));
    s.accept(0);
    // 0 would win (4 > 3) but 4/2 = 2 < 3
    assertEquals(1, s.sample(logits(4, 3, 1)));
  }

  @Test
  void invalidParametersAreRejectedWithTheirName() {
    var e = assertThrows(IllegalArgumentException.class, () -> new SamplingParams(-1f, 0, 1f, 0f, 1f, 0, 0));
    assertTrue(e.getMessage().contains("temperature"));
    e = assertThrows(IllegalArgumentException.class, () -> new SamplingParams(1f, 0, 0f, 0f, 1f, 0, 0));
    assertTrue(e.getMessage().contains("top_p"));
  }
}
