"""``cleaner clean`` and ``cleaner report`` on a Dask cluster (``--scheduler``), over local files or
object storage (fsspec URLs). Needs the ``dask`` extra (``pip install 'cleaner[dask]'``).

* :mod:`cleaner.cluster.engine`: the run: files in batches to the workers, results streamed back in order;
* :mod:`cleaner.cluster.shuffle`: duplicates across files grouped on the cluster;
* :mod:`cleaner.cluster.storage`: reading, listing and writing local paths and URLs.

Nothing imports this package unless a run names a scheduler: a local run never loads dask.
"""
