# Writes version.h with the git revision of the tree being built. It runs at
# every build, not once at configure time, when the revision went stale with
# the next commit; configure_file rewrites the header only when its text
# changes, so an unchanged revision rebuilds nothing.
#   cmake -DSOURCE_DIR=... -DINPUT=version.h.in -DOUTPUT=... -DPROJECT_VERSION=... -P version.cmake
execute_process(COMMAND git rev-parse --short=12 HEAD
                WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_VARIABLE PGPOSTURE_GIT_REVISION OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET)
if(NOT PGPOSTURE_GIT_REVISION)
  set(PGPOSTURE_GIT_REVISION unknown)
endif()
configure_file(${INPUT} ${OUTPUT} @ONLY)
