# cmake -DA=<cmd;args> -DB=<cmd;args> -P compare_outputs.cmake
# Runs both commands; fails unless both succeed with identical stdout.
execute_process(COMMAND ${A} OUTPUT_VARIABLE out_a RESULT_VARIABLE rc_a)
execute_process(COMMAND ${B} OUTPUT_VARIABLE out_b RESULT_VARIABLE rc_b)
if(NOT rc_a EQUAL 0 OR NOT rc_b EQUAL 0)
  message(FATAL_ERROR "exit codes: ${rc_a} (${A}) and ${rc_b} (${B})")
endif()
if(out_a STREQUAL "")
  message(FATAL_ERROR "no output from ${A}")
endif()
if(NOT out_a STREQUAL out_b)
  message(FATAL_ERROR "outputs differ:\n--- ${A}\n${out_a}\n--- ${B}\n${out_b}")
endif()
message(STATUS "identical output:\n${out_a}")
