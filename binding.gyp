{
  "targets": [
    {
      "target_name": "nativefile_mmap",
      "sources": ["addon/mmap.c"],
      "cflags": ["-O2", "-Wall", "-Wextra"]
    }
  ]
}
