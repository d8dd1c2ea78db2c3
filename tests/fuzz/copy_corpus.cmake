# Fresh copy of a seed corpus for one fuzz run: cmake -DSRC=<dir> -DDST=<dir> -P copy_corpus.cmake
file(REMOVE_RECURSE "${DST}")
file(MAKE_DIRECTORY "${DST}")
file(COPY "${SRC}/" DESTINATION "${DST}")
