# Generates the C++ parser from grammar/Aipol.g4 at build time, with Debian's
# ANTLR tool (4.7.2), and compiles it in its own target against Debian's C++
# runtime (4.9). The generated code needs C++17 (char8_t changed in C++20),
# and its warnings are not ours to fix.
find_file(AIPOL_ANTLR_JAR NAMES antlr4.jar PATHS /usr/share/java REQUIRED)
find_path(AIPOL_ANTLR_INCLUDE NAMES antlr4-runtime.h PATHS /usr/include/antlr4-runtime REQUIRED)
find_library(AIPOL_ANTLR_LIB NAMES antlr4-runtime REQUIRED)

# Clang (the `fuzz` preset) rejects the defaulted constructor of the 4.9
# runtime's dfa::Vocabulary, whose members are const without initialisers
# (GCC accepts it). Clang builds read the headers from a copy in the build
# tree whose three members are not const: the same layout as the library's.
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  set(AIPOL_ANTLR_SHIM ${CMAKE_BINARY_DIR}/antlr4-runtime-for-clang)
  if(NOT EXISTS ${AIPOL_ANTLR_SHIM}/Vocabulary.h)
    file(COPY ${AIPOL_ANTLR_INCLUDE}/ DESTINATION ${AIPOL_ANTLR_SHIM})
    file(READ ${AIPOL_ANTLR_SHIM}/Vocabulary.h vocabulary)
    string(REPLACE "std::vector<std::string> const _" "std::vector<std::string> _" vocabulary "${vocabulary}")
    file(WRITE ${AIPOL_ANTLR_SHIM}/Vocabulary.h "${vocabulary}")
  endif()
  set(AIPOL_ANTLR_INCLUDE ${AIPOL_ANTLR_SHIM})
endif()

set(AIPOL_ANTLR_CLASSPATH
  "${AIPOL_ANTLR_JAR}:/usr/share/java/antlr4-runtime.jar:/usr/share/java/antlr3-runtime.jar:/usr/share/java/stringtemplate4.jar:/usr/share/java/treelayout.jar")
set(AIPOL_GEN_DIR ${CMAKE_BINARY_DIR}/generated/antlr)
set(AIPOL_GEN_SOURCES
  ${AIPOL_GEN_DIR}/AipolLexer.cpp
  ${AIPOL_GEN_DIR}/AipolParser.cpp
  ${AIPOL_GEN_DIR}/AipolBaseVisitor.cpp
  ${AIPOL_GEN_DIR}/AipolVisitor.cpp
)
add_custom_command(
  OUTPUT ${AIPOL_GEN_SOURCES}
  COMMAND ${Java_JAVA_EXECUTABLE} -cp ${AIPOL_ANTLR_CLASSPATH} org.antlr.v4.Tool
          -Dlanguage=Cpp -visitor -no-listener -package aipol_antlr
          -Xexact-output-dir -o ${AIPOL_GEN_DIR} ${CMAKE_SOURCE_DIR}/grammar/Aipol.g4
  DEPENDS ${CMAKE_SOURCE_DIR}/grammar/Aipol.g4
  COMMENT "Generating the aipol parser with ANTLR"
  VERBATIM)

add_library(aipol_antlr_generated STATIC ${AIPOL_GEN_SOURCES})
set_target_properties(aipol_antlr_generated PROPERTIES CXX_STANDARD 17)
target_compile_options(aipol_antlr_generated PRIVATE -w)
target_include_directories(aipol_antlr_generated SYSTEM PUBLIC ${AIPOL_GEN_DIR} ${AIPOL_ANTLR_INCLUDE})
target_link_libraries(aipol_antlr_generated PUBLIC ${AIPOL_ANTLR_LIB})

# Our code that touches ANTLR types: also C++17, for the same reason.
add_library(aipol_syntax STATIC
  ${CMAKE_SOURCE_DIR}/compiler/syntax/parse.cpp
  ${CMAKE_SOURCE_DIR}/compiler/syntax/parse_tree_to_ast.cpp
  ${CMAKE_SOURCE_DIR}/compiler/syntax/build_expr.cpp
  ${CMAKE_SOURCE_DIR}/compiler/syntax/comments.cpp
  ${CMAKE_SOURCE_DIR}/compiler/syntax/error_listener.cpp
)
set_target_properties(aipol_syntax PROPERTIES CXX_STANDARD 17)
target_include_directories(aipol_syntax PUBLIC ${CMAKE_SOURCE_DIR})
target_link_libraries(aipol_syntax PUBLIC aipol_antlr_generated fmt::fmt)
target_compile_options(aipol_syntax PRIVATE ${AIPOL_WARNINGS} -Wno-attributes)
