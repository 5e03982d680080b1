# frozen_string_literal: true

# The parts of the Rails app that need only Ruby's standard library, run on the book's CI
# machine with Debian's Ruby: `SEED=1 ruby test/all.rb -v` from listings/rails.
Dir[File.join(__dir__, '*_test.rb')].each { |file| require file }
