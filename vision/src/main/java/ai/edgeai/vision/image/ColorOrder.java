package ai.edgeai.vision.image;

/** Channel order a model expects in its input planes. */
public enum ColorOrder { RGB, BGR }
