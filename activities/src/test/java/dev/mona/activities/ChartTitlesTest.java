package dev.mona.activities;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A long title is drawn whole inside its image, also when a legend to the east moves the plot's centre left. */
class ChartTitlesTest {
    private static final String TITLE = "offline-spoken-digits: source knowledge kept over fine-tuning (mean +- sd over "
            + "seeds)";

    private static XYChart chart(String title) {
        XYChart chart = new XYChartBuilder().width(800).height(380).title(title).xAxisTitle("epoch")
                .yAxisTitle("error %").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.addSeries("pretrained encoder (mean over runs)", List.of(0.0, 8.0), List.of(14.0, 14.0));
        chart.addSeries("mona", List.of(0.0, 8.0), List.of(14.0, 21.0));
        return chart;
    }

    /**
     * Whether anything but the background is drawn in the title's band within 5 pixels of a side (the chart's padding
     * is 10; this chart's two-digit y tick labels start 7 pixels in).
     */
    private static boolean inkAtTheSides(BufferedImage img, XYChart chart) {
        int background = chart.getStyler().getChartBackgroundColor().getRGB();
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 5; x++) {
                if (img.getRGB(x, y) != background || img.getRGB(img.getWidth() - 1 - x, y) != background) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void aLongTitleShrinksUntilItIsDrawnWhole() {
        XYChart raw = chart(TITLE);
        assertTrue(inkAtTheSides(BitmapEncoder.getBufferedImage(raw), raw),
                "the unfitted title runs off the image (what the check detects)");
        XYChart fitted = chart(TITLE);
        BufferedImage img = ChartTitles.image(fitted);
        assertFalse(inkAtTheSides(img, fitted), "the fitted title stays inside the image");
        assertEquals(TITLE, fitted.getTitle(), "shrinking the font was enough: the title is whole");
        assertTrue(fitted.getStyler().getChartTitleFont().getSize2D() < raw.getStyler().getChartTitleFont()
                .getSize2D());
        assertTrue(ChartTitles.width(TITLE, fitted.getStyler().getChartTitleFont()) <= ChartTitles.room(fitted));
    }

    @Test
    void aShortTitleKeepsItsFontAndATooLongOneIsShortenedAtItsEnd() {
        XYChart shortOne = chart("darcy");
        float size = shortOne.getStyler().getChartTitleFont().getSize2D();
        ChartTitles.fit(shortOne);
        assertEquals(size, shortOne.getStyler().getChartTitleFont().getSize2D());
        assertEquals("darcy", shortOne.getTitle());

        String huge = "offline-pde-darcy: " + "x".repeat(400);
        XYChart long_ = chart(huge);
        BufferedImage img = ChartTitles.image(long_);
        assertFalse(inkAtTheSides(img, long_));
        assertEquals(ChartTitles.SMALLEST, long_.getStyler().getChartTitleFont().getSize2D());
        assertTrue(long_.getTitle().startsWith("offline-pde-darcy: x") && long_.getTitle().endsWith("..."),
                long_.getTitle());
    }
}
