# cmake -DTOOL=<pl-instrument> -DSOURCE_DIR=<pl source> -P help_test.cmake
#
# `pl-instrument --help` names every pass, in the order of the table in
# passes/Pipeline.cpp, and `--help` and `--version` give the contract version
# that runtime/include/pl/abi.h defines, not a copy of it.
execute_process(COMMAND "${TOOL}" --help OUTPUT_VARIABLE help RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pl-instrument --help failed (${rc})")
endif()
execute_process(COMMAND "${TOOL}" --version OUTPUT_VARIABLE version)

file(READ "${SOURCE_DIR}/runtime/include/pl/abi.h" abi)
if(NOT abi MATCHES "kContractVersion = ([0-9]+);")
  message(FATAL_ERROR "no kContractVersion in pl/abi.h")
endif()
set(contract "${CMAKE_MATCH_1}")
if(NOT help MATCHES "contract version ${contract}\\.")
  message(FATAL_ERROR "--help does not say contract version ${contract}:\n${help}")
endif()
if(NOT version MATCHES "contract version ${contract},")
  message(FATAL_ERROR "--version does not say contract version ${contract}:\n${version}")
endif()

# The ids, in table order, as the table spells them: {"loop-labels", ...
file(READ "${SOURCE_DIR}/passes/Pipeline.cpp" table)
string(REGEX MATCHALL "\n    {\"[a-z-]+\"," entries "${table}")
list(LENGTH entries count)
if(count LESS 10)
  message(FATAL_ERROR "found only ${count} passes in passes/Pipeline.cpp")
endif()
set(expected "")
foreach(entry IN LISTS entries)
  string(REGEX REPLACE "[^a-z-]" "" id "${entry}")
  string(APPEND expected "\n  ${id} +[^\n]+")
endforeach()
if(NOT help MATCHES "PASSES \\(in order\\):${expected}\n")
  message(FATAL_ERROR "--help does not list the ${count} passes of the table in order:\n${help}")
endif()
