/**
 * The V8 heap limits the jobs process runs with: its command in docker/compose.yaml and in the
 * chart (`node <these> apps/jobs/src/main.ts`; scripts/deploy checks both), the jobs processes the
 * tests spawn (testing.ts) and the import benchmark's (bench/run.ts).
 *
 * Why: on a machine with a lot of memory V8 sizes its heap for it (a 4 GB limit on 24 GB, 64 MB
 * young-generation semi-spaces) and lets the old generation grow to up to four times what is
 * live before collecting. Importing a 100,000-line workbook keeps 60-100 MB live, yet the process
 * reached 560-660 MB resident, almost all of it garbage not yet collected. With a 256 MB old
 * space V8 collects much sooner (the heap then peaked at 95-135 MB), and 4 MB semi-spaces hold
 * 8 MB of young objects instead of up to 128 MB: the same import peaks at 255-290 MB, idles at
 * ~165 MB, and the parse alone is no slower (1.7 s median of four runs either way;
 * bench/imports.ts, README "Benchmark"). 256 MB is 2.5 times the largest live set measured and
 * fits the chart's 512Mi limit with the rest of the process.
 */
export const JOBS_NODE_FLAGS = ['--max-semi-space-size=4', '--max-old-space-size=256'];
