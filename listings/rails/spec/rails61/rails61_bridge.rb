# frozen_string_literal: true

# What the Rails 8 app asks of Rails that 6.1 answers differently, bridged for the
# test-only boot (see Gemfile here). Only version numbers are bridged: the app asks for
# Rails 8.0's defaults and writes its migrations as Migration[8.0], which 6.1 does not
# know; it gets 6.1's. Every other API the app uses exists in both.
module Rails61Bridge
  NEWEST = Gem::Version.new('6.1')

  def self.known(version)
    Gem::Version.new(version.to_s) > NEWEST ? NEWEST.to_s : version
  end

  # config.load_defaults 8.0 → 6.1's defaults.
  module LoadDefaults
    def load_defaults(version)
      super(Rails61Bridge.known(version))
    end
  end

  # ActiveRecord::Migration[8.0] → Migration[6.1].
  module MigrationVersion
    def find(version)
      super(Rails61Bridge.known(version))
    end
  end
end

Rails::Application::Configuration.prepend(Rails61Bridge::LoadDefaults)
ActiveSupport.on_load(:active_record) do
  ActiveRecord::Migration::Compatibility.singleton_class
                                        .prepend(Rails61Bridge::MigrationVersion)
  # The app keeps no db/schema.rb; a 6.1 dump of it would differ from Rails 8's anyway.
  ActiveRecord::Base.dump_schema_after_migration = false
end
