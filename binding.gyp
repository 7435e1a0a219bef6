{
  "targets": [
    {
      "target_name": "nativefile_mmap",
      "sources": ["addon/mmap.c", "addon/registry.c", "addon/errors.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "cflags_c": ["-std=gnu11"]
    }
  ]
}
