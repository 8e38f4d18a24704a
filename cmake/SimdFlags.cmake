# Chooses the instruction set for simdjson's On-Demand kernel (see the
# top-level CMakeLists.txt). Override with -DAIPOL_SIMD_FLAGS="...".
if(NOT DEFINED AIPOL_SIMD_FLAGS)
  set(AIPOL_SIMD_FLAGS "")
  if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64" AND EXISTS /proc/cpuinfo)
    file(READ /proc/cpuinfo cpuinfo)
    if(cpuinfo MATCHES " avx2 " AND cpuinfo MATCHES " bmi2 " AND cpuinfo MATCHES " abm " AND cpuinfo MATCHES " pclmulqdq ")
      set(AIPOL_SIMD_FLAGS -mavx2 -mbmi -mbmi2 -mlzcnt -mpclmul)
    elseif(cpuinfo MATCHES " sse4_2 " AND cpuinfo MATCHES " pclmulqdq ")
      set(AIPOL_SIMD_FLAGS -msse4.2 -mpclmul)
    endif()
  endif()
  message(STATUS "aipol: simdjson On-Demand flags: ${AIPOL_SIMD_FLAGS}")
endif()
