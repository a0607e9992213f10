package dev.mona.activities;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

import java.awt.Font;
import java.awt.font.FontRenderContext;
import java.awt.image.BufferedImage;

/**
 * Chart titles that fit their image. XChart centres a title over the plot area (left of a legend placed to the east)
 * and clips whatever falls outside the image, so a long task name lost its first letters ("e-pde-darcy: ..."). Every
 * figure is drawn through {@link #image}: the title's font shrinks, down to {@link #SMALLEST} points, until the title
 * fits the room around the plot's centre; a title still too wide then is shortened at its end, keeping the task name.
 */
final class ChartTitles {
    /** Smallest title font, in points. */
    static final float SMALLEST = 9f;
    /** Width XChart gives the y axis (its title and tick labels) left of the plot, estimated from the figures. */
    private static final int Y_AXIS = 60;
    /** Width of a legend entry's marker, line and padding besides its text, and the gap to the plot. */
    private static final int LEGEND_EXTRA = 70;
    /** Integer glyph advances, as XChart's images draw their text. */
    private static final FontRenderContext FRC = new FontRenderContext(null, false, false);

    private ChartTitles() {}

    /** The chart drawn as an image, its title fitted first. */
    static BufferedImage image(Chart<?, ?> chart) {
        fit(chart);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Shrinks the title's font (then shortens the title) until it fits {@link #room}. */
    static void fit(Chart<?, ?> chart) {
        String title = chart.getTitle();
        if (title == null || title.isEmpty()) {
            return;
        }
        double room = room(chart);
        Font font = chart.getStyler().getChartTitleFont();
        while (width(title, font) > room && font.getSize2D() > SMALLEST) {
            font = font.deriveFont(Math.max(SMALLEST, font.getSize2D() - 0.5f));
        }
        if (width(title, font) > room) {
            String kept = title;
            while (kept.length() > 1 && width(kept + "...", font) > room) {
                kept = kept.substring(0, kept.length() - 1);
            }
            chart.setTitle(kept.strip() + "...");
        }
        chart.getStyler().setChartTitleFont(font);
    }

    /**
     * The widest title that stays inside the image when centred over the plot: twice the distance from the plot's
     * centre to the nearer edge of the image, less the chart's padding and 5 pixels more on both sides (the plot's
     * edges are estimates).
     */
    static double room(Chart<?, ?> chart) {
        Styler s = chart.getStyler();
        int pad = s.getChartPadding();
        double legend = 0;
        if (s.isLegendVisible() && s.getLegendPosition() == Styler.LegendPosition.OutsideE) {
            for (String name : chart.getSeriesMap().keySet()) {
                legend = Math.max(legend, width(name, s.getLegendFont()) + LEGEND_EXTRA);
            }
        }
        double left = pad + Y_AXIS;
        double right = chart.getWidth() - pad - legend;
        double centre = (left + right) / 2;
        return 2 * Math.min(centre, chart.getWidth() - centre) - 2 * (pad + 5);
    }

    static double width(String text, Font font) {
        return font.getStringBounds(text, FRC).getWidth();
    }
}
