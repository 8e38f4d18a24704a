# Embeds the standard library (stdlib/**/*.pol) into the binary as a table of
# (path, contents), generated at build time by cmake/embed_files.cmake.
file(GLOB_RECURSE AIPOL_STDLIB_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/stdlib/*.pol)
set(AIPOL_STDLIB_EMBED_CPP ${CMAKE_BINARY_DIR}/generated/stdlib_embedded.cpp)
add_custom_command(
  OUTPUT ${AIPOL_STDLIB_EMBED_CPP}
  COMMAND ${CMAKE_COMMAND} -DROOT=${CMAKE_SOURCE_DIR}/stdlib -DOUTPUT=${AIPOL_STDLIB_EMBED_CPP}
          -P ${CMAKE_SOURCE_DIR}/cmake/embed_files.cmake
  DEPENDS ${AIPOL_STDLIB_FILES} ${CMAKE_SOURCE_DIR}/cmake/embed_files.cmake
  COMMENT "Embedding the standard library"
  VERBATIM)
