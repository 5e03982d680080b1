# frozen_string_literal: true

require 'minitest/autorun'
require 'ripper'
require 'yaml'

# The names that bind the code to the task templates, checked from the source with Ruby's
# own parser, so that they hold where the worker that resolves them is not installed:
# every template callable names exactly one handler class under app/handlers, no handler
# class is orphaned (abstract bases excepted), and every step a handler reads with
# get_dependency_result('…') is upstream of the step it runs (a dependency, or a
# dependency's dependency: Tasker hands a step the results of all of them).
class BindingsTest < Minitest::Test
  ROOT = File.expand_path('..', __dir__)

  Handler = Struct.new(:name, :superclass, :file, :reads)
  READ = 'get_dependency_result'

  def const_name(sexp)
    case sexp
    in [:const_ref | :var_ref | :top_const_ref, [:@const, name, _]] then name
    in [:const_path_ref, parent, [:@const, name, _]] then "#{const_name(parent)}::#{name}"
    else nil
    end
  end

  def string_args(sexp, found = [])
    found << sexp[1] if sexp.is_a?(Array) && sexp[0] == :@tstring_content
    if sexp.is_a?(Array)
      sexp.each do |child|
        string_args(child, found) if child.is_a?(Array)
      end
    end
    found
  end

  # Every class in the file, with its full name, superclass and get_dependency_result
  # reads.
  def walk(sexp, scope, file, classes, current = nil)
    return unless sexp.is_a?(Array)

    case sexp
    in [:module, name, body]
      walk(body, scope + [const_name(name)], file, classes)
    in [:class, name, superclass, body]
      full = (scope + [const_name(name)]).join('::')
      handler = classes[full] = Handler.new(full, const_name(superclass), file, [])
      walk(body, scope + [const_name(name)], file, classes, handler)
    in [:method_add_arg, [:call, _, _, [:@ident, READ, _]], args] if current
      current.reads.concat(string_args(args))
    else
      sexp.each { |child| walk(child, scope, file, classes, current) }
    end
  end

  def handler_classes(root, handlers)
    classes = {}
    Dir[File.join(root, handlers)].each do |path|
      file = path.delete_prefix("#{ROOT}/")
      walk(Ripper.sexp(File.read(path)), [], file, classes)
    end
    classes
  end

  # Reads include those of the app's own base classes (Analytics::Extract and the like).
  def reads_of(handler, classes)
    scope = handler.name.rpartition('::').first
    base = classes[handler.superclass] || classes["#{scope}::#{handler.superclass}"]
    handler.reads + (base ? reads_of(base, classes) : [])
  end

  def upstream(name, steps, found = [])
    (steps.find { |s| s['name'] == name }['dependencies'] || []).each do |dep|
      next if found.include?(dep)

      found << dep
      upstream(dep, steps, found)
    end
    found
  end

  # The problems binding the templates under root/templates to the handler classes in the
  # files the glob handlers names under root, and the handler classes the templates use.
  def bindings(root, handlers: 'app/handlers/**/*.rb')
    classes = handler_classes(root, handlers)
    problems = []
    used = []
    Dir[File.join(root, 'templates/*.yaml')].each do |path|
      steps = YAML.safe_load_file(path)['steps']
      steps.each do |step|
        callable = step.dig('handler', 'callable')
        handler = classes[callable]
        unless handler
          problems << "#{File.basename(path)}: #{step['name']} names #{callable}: " \
                      'no such class' and next
        end

        used << handler.name
        before = upstream(step['name'], steps)
        reads_of(handler, classes).each do |read|
          unless before.include?(read)
            problems << "#{handler.file}: #{handler.name} reads '#{read}', " \
                        "not upstream of #{step['name']}"
          end
        end
      end
    end
    bases = classes.values.map(&:superclass)
    orphans = classes.values.reject do |h|
      used.include?(h.name) || bases.any? do |b|
        b&.end_with?(h.name.split('::').last)
      end
    end
    problems += orphans.map { |h| "#{h.file}: #{h.name} runs no template step" }
    [problems, used.uniq]
  end

  def test_callables_name_exactly_one_handler_and_reads_are_upstream
    problems, used = bindings(ROOT)
    assert_empty problems
    assert_equal 23, used.size
  end

  # What the book's quickstart-ruby plugin generates binds the same way (scaffold/ holds
  # its output for a two-step template; the scaffold chapter regenerates it).
  def test_the_plugins_generated_handlers_bind_to_its_generated_template
    problems, used = bindings(File.join(ROOT, 'scaffold'))
    assert_empty problems
    assert_equal %w[Greeting::ComposeGreetingHandler Greeting::DeliverGreetingHandler],
                 used.sort
  end

  # The first workflow of the Rails chapter, a project of two files and a template.
  def test_the_first_workflows_handlers_bind_to_its_template
    problems, used = bindings(File.join(ROOT, 'first-workflow'), handlers: 'handlers.rb')
    assert_empty problems
    assert_equal %w[ComposeGreeting DeliverGreeting], used.sort
  end
end
