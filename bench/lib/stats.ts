/**
 * @module bench/lib/stats
 * Small statistics for the detection benchmark: quantiles, ROC curve and AUC (with ties handled
 * by the rank-sum formula), the inverse normal CDF, and the Shapiro–Francia normality statistic
 * used by the PRADA baseline.
 */

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function median(xs: readonly number[]): number {
  return quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
}

export const mean = (xs: readonly number[]) =>
  xs.length === 0 ? Number.NaN : xs.reduce((s, x) => s + x, 0) / xs.length;

/** ROC-AUC by the Mann–Whitney rank sum (ties count one half). NaN when a class is empty. */
export function rocAuc(scores: readonly number[], positive: readonly boolean[]): number {
  const idx = scores.map((s, i) => [s, i] as const).sort((a, b) => a[0] - b[0]);
  let rankSumPos = 0;
  let nPos = 0;
  let i = 0;
  while (i < idx.length) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1]![0] === idx[i]![0]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++)
      if (positive[idx[k]![1]]) {
        rankSumPos += avgRank;
        nPos++;
      }
    i = j + 1;
  }
  const nNeg = idx.length - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** ROC points (fpr, tpr) over all distinct thresholds, from (0,0) to (1,1). */
export function rocCurve(scores: readonly number[], positive: readonly boolean[]): Array<[number, number]> {
  const nPos = positive.filter(Boolean).length;
  const nNeg = positive.length - nPos;
  if (nPos === 0 || nNeg === 0) return [];
  const idx = scores.map((s, i) => [s, i] as const).sort((a, b) => b[0] - a[0]);
  const pts: Array<[number, number]> = [[0, 0]];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < idx.length; i++) {
    if (positive[idx[i]![1]]) tp++;
    else fp++;
    if (i + 1 === idx.length || idx[i + 1]![0] !== idx[i]![0]) pts.push([fp / nNeg, tp / nPos]);
  }
  return pts;
}

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function probit(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - lo) return -probit(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/**
 * Shapiro–Francia W′: squared correlation between the sorted sample and the expected normal
 * order statistics (Blom scores). Near 1 for normal samples. Returns 1 for a constant sample
 * (no evidence either way) and NaN for fewer than 3 values.
 */
export function shapiroFrancia(xs: readonly number[]): number {
  const n = xs.length;
  if (n < 3) return Number.NaN;
  const x = [...xs].sort((a, b) => a - b);
  const m = x.map((_, i) => probit((i + 1 - 0.375) / (n + 0.25)));
  const xm = mean(x);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += m[i]! * (x[i]! - xm);
    sxx += (x[i]! - xm) ** 2;
    syy += m[i]! ** 2;
  }
  if (sxx === 0) return 1;
  return (sxy * sxy) / (sxx * syy);
}
