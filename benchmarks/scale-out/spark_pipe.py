"""The README's Spark recipe, run in local mode: each task pipes its share of a path list
through `zhibiao extract --files-from -` and the parts are saved as text files.

    python spark_pipe.py ZHIBIAO LIST OUTDIR [--format csv|jsonl] [--partitions N] [--master URL]

Exits 0 when the job succeeded, 1 when Spark reported a failed job (with checkCode=True a
zhibiao run that exits non-zero fails its task, and so the job).
"""
import argparse
import os
import sys

from pyspark import SparkConf, SparkContext


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("zhibiao", help="absolute path of the zhibiao binary")
    ap.add_argument("paths", help="a text file with one input path a line")
    ap.add_argument("out", help="output folder (must not exist)")
    ap.add_argument("--format", default="csv", choices=["csv", "tsv", "jsonl"])
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--master", default="local[2]")
    args = ap.parse_args()
    if not os.path.isabs(args.zhibiao):
        # RDD.pipe starts the command with an empty environment: no PATH to find it by name.
        ap.error("give the zhibiao binary by absolute path")

    conf = SparkConf().setMaster(args.master).setAppName("zhibiao-scale-out")
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    try:
        # --- the README's recipe, word for word but for the paths ---
        paths = sc.textFile("file://" + os.path.abspath(args.paths), minPartitions=args.partitions)
        rows = paths.pipe(
            f"{args.zhibiao} extract --files-from - -q -j 1 --no-header --format {args.format}",
            checkCode=True,
        )
        rows.saveAsTextFile("file://" + os.path.abspath(args.out))
        # ---
    except Exception as error:  # Py4JJavaError and friends: the job failed
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"spark_pipe: job failed: {first}", file=sys.stderr)
        return 1
    finally:
        sc.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
