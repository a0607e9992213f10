package dev.mona.core.offline.pde;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PDE solvers against exact solutions and hand-computed values. */
class PdeSolversTest {
    private static InitialCondition1d sines(double a1, int k1, double p1, double a2, int k2, double p2) {
        return new InitialCondition1d(new double[]{a1, a2}, new int[]{k1, k2}, new double[]{p1, p2}, false, 1,
                false, 0, 0);
    }

    @Test
    void advectionIsTheShiftedSineSum() {
        InitialCondition1d ic = sines(0.7, 3, 0.4, 0.2, 1, 2.0);
        int n = 64;
        double[] u = new Advection1d(0.4).solve(ic, n, 2.0);
        for (int i = 0; i < n; i++) {
            double x = (i + 0.5) / n;
            double exact = 0.7 * Math.sin(2 * Math.PI * 3 * (x - 0.8) + 0.4) + 0.2 * Math.sin(2 * Math.PI * (x - 0.8) + 2.0);
            assertEquals(exact, u[i], 1e-12);
        }
        // one full period later (t = 1 / beta) the field is back
        assertArrayEquals(ic.onGrid(n), new Advection1d(0.4).solve(ic, n, 2.5), 1e-12);
    }

    @Test
    void initialConditionStaysWithinTheSumOfAmplitudes() {
        SplittableRandom rng = new SplittableRandom(11);
        int abs = 0;
        for (int s = 0; s < 400; s++) {
            InitialCondition1d ic = InitialCondition1d.sample(rng);
            double bound = ic.amplitudes()[0] + ic.amplitudes()[1] + 1e-12;
            for (double v : ic.onGrid(128)) {
                assertTrue(Math.abs(v) <= bound);
            }
            assertTrue(ic.wavenumbers()[0] >= 1 && ic.wavenumbers()[0] <= 4);
            abs += ic.absolute() ? 1 : 0;
        }
        assertTrue(abs > 15 && abs < 70, "about 10% of 400 take |u|, got " + abs);
    }

    @Test
    void diffusionOfASineModeDecaysAsExpMinusNuKSquaredT() {
        int n = 256;
        double nu = 0.5;
        double t = 0.05;
        double[] u0 = new double[n];
        for (int i = 0; i < n; i++) {
            u0[i] = Math.sin(2 * Math.PI * 2 * (i + 0.5) / n);
        }
        double[] u = new FisherKpp1d(nu, 0.0, 10).solve(u0, t);
        double decay = Math.exp(-nu * Math.pow(2 * Math.PI * 2, 2) * t);
        for (int i = 0; i < n; i++) {
            assertEquals(u0[i] * decay, u[i], 1e-12);
        }
    }

    @Test
    void uniformFisherKppFollowsTheLogisticCurve() {
        double[] u0 = new double[64];
        java.util.Arrays.fill(u0, 0.2);
        double[] u = new FisherKpp1d(0.5, 1.0, 7).solve(u0, 1.0);
        double exact = 0.2 * Math.E / (1 - 0.2 + 0.2 * Math.E); // logistic u(t) = u0 e^t / (1 - u0 + u0 e^t)
        for (double v : u) {
            assertEquals(exact, v, 1e-12);
        }
    }

    @Test
    void burgersConservesTheMeanAndMatchesLinearDiffusionAtSmallAmplitude() {
        InitialCondition1d ic = InitialCondition1d.sample(new SplittableRandom(5));
        double[] u0 = ic.onGrid(256);
        double[] u = new Burgers1d(1.0, 256).solve(ic, 256, 0.1);
        assertEquals(mean(u0), mean(u), 1e-12);

        // amplitude 1e-4: the convective term is 1e-4 smaller than diffusion, so u ~ eps sin(2 pi x) e^{-(nu/pi)(2pi)^2 t}
        InitialCondition1d small = sines(1e-4, 1, 0.0, 0.0, 1, 0.0);
        double t = 0.05;
        double[] v = new Burgers1d(1.0, 256).solve(small, 256, t);
        double decay = Math.exp(-(1.0 / Math.PI) * Math.pow(2 * Math.PI, 2) * t);
        for (int i = 0; i < 256; i++) {
            double exact = 1e-4 * Math.sin(2 * Math.PI * (i + 0.5) / 256) * decay;
            assertEquals(exact, v[i], 2e-4 * 1e-4);
        }
    }

    @Test
    void burgersGodunovFluxHandValues() {
        assertEquals(0.5 * 4, Burgers1d.godunov(2, 1), 1e-15);   // shock moving right: f(uL)
        assertEquals(0.5 * 4, Burgers1d.godunov(-1, -2), 1e-15); // moving left: f(uR)
        assertEquals(0.0, Burgers1d.godunov(-1, 1), 1e-15);      // transonic rarefaction: f(0)
        assertEquals(0.5 * 9, Burgers1d.godunov(3, -2), 1e-15);  // shock, |uL| > |uR|: f(uL)
    }

    @Test
    void diffusionSorptionReachesTheSteadyLinearProfileWithoutSorption() {
        // phi = 1 removes sorption (R = 1): steady state of u_t = D u_xx, u(0) = 1, u(1) = -D u_x(1) is
        // u = 1 - x / (1 + D); the discrete scheme is exact for linear profiles
        double d = 0.05;
        DiffusionSorption1d plain = new DiffusionSorption1d(d, 1.0, 2880, 3.5e-4, 0.874, 400);
        int n = 100;
        double[] u = plain.solve(new double[n], 400.0);
        for (int i = 0; i < n; i++) {
            double x = (i + 0.5) / n;
            assertEquals(1 - x / (1 + d), u[i], 1e-6);
        }
    }

    @Test
    void diffusionSorptionStaysWithinItsBoundsAndRetardsHandValue() {
        DiffusionSorption1d s = DiffusionSorption1d.pdebench(200);
        // R(1) = 1 + (0.71 / 0.29) * 2880 * 3.5e-4 * 0.874
        assertEquals(1 + (0.71 / 0.29) * 2880 * 3.5e-4 * 0.874, s.retardation(1.0), 1e-12);
        double[] u0 = InitialCondition1d.minMaxNormalised(InitialCondition1d.sample(new SplittableRandom(2)).onGrid(256));
        double[] u = s.solve(u0, 500);
        for (double v : u) {
            assertTrue(v >= -1e-12 && v <= 1 + 1e-12, "maximum principle violated: " + v);
        }
        assertTrue(u[0] > u0[0] || u0[0] > 0.99, "the inflow u(0) = 1 raises the first cell");
    }

    @Test
    void darcyWithUnitCoefficientMatchesThePoissonSeriesAtTheCentre() {
        // -Laplacian u = 1 on the unit square, u = 0 on the boundary: u(1/2, 1/2) = 0.0736713532...
        Darcy2d darcy = new Darcy2d(85, 1.0);
        double[] a = new double[85 * 85];
        java.util.Arrays.fill(a, 1.0);
        double[] u = darcy.solve(a);
        assertEquals(poissonCentre(), u[42 * 85 + 42], 2e-5);
        // a = 4 everywhere divides the solution by 4
        java.util.Arrays.fill(a, 4.0);
        assertEquals(poissonCentre() / 4, darcy.solve(a)[42 * 85 + 42], 1e-5);
    }

    @Test
    void darcyResidualVanishesForARandomCoefficient() {
        Darcy2d darcy = new Darcy2d(85, 1.0);
        double[] a = darcy.randomCoefficient(new SplittableRandom(9));
        int high = 0;
        for (double v : a) {
            assertTrue(v == 12 || v == 3);
            high += v == 12 ? 1 : 0;
        }
        assertTrue(high > 85 * 85 / 10 && high < 85 * 85 * 9 / 10, "both phases present: " + high);
        double[] u = darcy.solve(a);
        double[] lhs = darcy.apply(a, u);
        for (int y = 1; y < 84; y++) {
            for (int x = 1; x < 84; x++) {
                assertEquals(1.0, lhs[y * 85 + x], 1e-8);
                assertTrue(u[y * 85 + x] > 0);
            }
        }
        assertEquals(0.0, u[3], 0.0);
    }

    /** Series solution of -Laplacian u = 1 at the centre: sum over odd m, n of 16 / (pi^4 m n (m^2 + n^2)) * sin sin. */
    private static double poissonCentre() {
        double s = 0;
        for (int m = 1; m < 2000; m += 2) {
            for (int n = 1; n < 2000; n += 2) {
                double sign = ((m - 1) / 2 + (n - 1) / 2) % 2 == 0 ? 1 : -1;
                s += sign * 16 / (Math.pow(Math.PI, 4) * m * n * ((double) m * m + (double) n * n));
            }
        }
        return s;
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
