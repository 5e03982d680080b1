# frozen_string_literal: true

require 'minitest/autorun'
require_relative '../app/models/order_request'
require_relative '../app/models/analytics_job_request'

class AnalyticsJobRequestTest < Minitest::Test
  def test_a_good_job_gives_the_task_context
    input = AnalyticsJobRequest.new('source' => ' web ', 'date_from' => '2026-11-01',
                                    'date_to' => '2026-11-07')
    assert_predicate input, :valid?
    context = { job_id: 'j', source: 'web', date_from: '2026-11-01',
                date_to: '2026-11-07' }
    assert_equal context, input.context('j')
  end

  def test_every_bad_field_is_named_at_once
    input = AnalyticsJobRequest.new('date_from' => '2026-02-30', 'date_to' => 'soon')
    expected = { 'source' => 'is required',
                 'date_from' => 'must be a date like 2026-11-01',
                 'date_to' => 'must be a date like 2026-11-01' }
    assert_equal expected, input.errors
  end

  def test_ranges_run_forward_and_span_at_most_a_year
    backwards = AnalyticsJobRequest.new('source' => 'web', 'date_from' => '2026-11-07',
                                        'date_to' => '2026-11-01')
    assert_equal({ 'date_to' => 'must not be before date_from' }, backwards.errors)
    long = AnalyticsJobRequest.new('source' => 'web', 'date_from' => '2025-01-01',
                                   'date_to' => '2026-11-01')
    assert_equal({ 'date_to' => 'the range may span at most a year' }, long.errors)
  end
end
