package ai.edgeai.llm.tokenizer;

import java.util.Arrays;

/** A growable int array, so encoding does not box every id. */
final class IntList {
  private int[] values = new int[16];
  private int size;

  void add(int value) {
    if (size == values.length) values = Arrays.copyOf(values, size * 2);
    values[size++] = value;
  }

  int size() {
    return size;
  }

  int get(int i) {
    return values[i];
  }

  void truncate(int newSize) {
    size = newSize;
  }

  int[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
