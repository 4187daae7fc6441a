package dev.switchboard.gateway;

import java.math.BigDecimal;

/**
 * USD price of a model per one million tokens.
 *
 * @param inputPerMillion  price of 1M prompt tokens
 * @param outputPerMillion price of 1M generated tokens
 */
public record ModelPrice(BigDecimal inputPerMillion, BigDecimal outputPerMillion) {

    public ModelPrice {
        if (inputPerMillion == null || inputPerMillion.signum() < 0) {
            throw new IllegalArgumentException("inputPerMillion must be >= 0");
        }
        if (outputPerMillion == null || outputPerMillion.signum() < 0) {
            throw new IllegalArgumentException("outputPerMillion must be >= 0");
        }
    }

    public static ModelPrice of(String inputPerMillion, String outputPerMillion) {
        return new ModelPrice(new BigDecimal(inputPerMillion), new BigDecimal(outputPerMillion));
    }

    public static final ModelPrice FREE = of("0", "0");
}
